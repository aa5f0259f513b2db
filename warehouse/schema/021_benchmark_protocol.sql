-- The paired benchmark protocol (issue #16): what shapes a CPU result besides the framework.
-- Older rows (before the protocol) keep NULL here: not measured, never zero.
ALTER TABLE reference_model_runs ADD COLUMN pairing VARCHAR;            -- default | compiled | pilot | none
ALTER TABLE reference_model_runs ADD COLUMN pair_id VARCHAR;            -- shared by the processes of one pair
ALTER TABLE reference_model_runs ADD COLUMN pair_index INTEGER;
ALTER TABLE reference_model_runs ADD COLUMN footing VARCHAR;            -- equal | legacy (harness before #16)
ALTER TABLE reference_model_runs ADD COLUMN layout VARCHAR;             -- channels_last | nchw | nhwc | n/a
ALTER TABLE reference_model_runs ADD COLUMN cpu_vendor VARCHAR;
ALTER TABLE reference_model_runs ADD COLUMN cpu_family INTEGER;
ALTER TABLE reference_model_runs ADD COLUMN cpu_model_number INTEGER;
ALTER TABLE reference_model_runs ADD COLUMN cpu_flags VARCHAR;          -- subset: avx2 avx512f avx512_bf16 avx512_vnni amx_tile amx_bf16
ALTER TABLE reference_model_runs ADD COLUMN intra_op_threads INTEGER;
ALTER TABLE reference_model_runs ADD COLUMN inter_op_threads INTEGER;
ALTER TABLE reference_model_runs ADD COLUMN blas VARCHAR;               -- math library path the framework reported
ALTER TABLE reference_model_runs ADD COLUMN matmul_shape VARCHAR;       -- m x k x n
ALTER TABLE reference_model_runs ADD COLUMN matmul_gflops DOUBLE;       -- fp32, same process
ALTER TABLE reference_model_runs ADD COLUMN load_before_cores DOUBLE;   -- other processes' CPU use
ALTER TABLE reference_model_runs ADD COLUMN load_during_cores DOUBLE;
ALTER TABLE reference_model_runs ADD COLUMN load_flagged BOOLEAN;
-- GPU plan: precision of fp32 matmuls, per-run time budget and what was cut, GPU details.
ALTER TABLE reference_model_runs ADD COLUMN matmul_precision VARCHAR;   -- highest (TF32 off) | tf32 | bf16
ALTER TABLE reference_model_runs ADD COLUMN budget_s DOUBLE;
ALTER TABLE reference_model_runs ADD COLUMN cut VARCHAR;                -- what the time budget cut, '' if nothing
ALTER TABLE reference_model_runs ADD COLUMN gpu_json VARCHAR;           -- CUDA/cuDNN versions, clocks, peaks
