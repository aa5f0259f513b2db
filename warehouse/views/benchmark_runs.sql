-- dataset: benchmark_runs
-- description: Reference models (MLP, ResNet-20-style CNN, char-level GPT) trained and timed in PyTorch and TensorFlow/Keras by census bench: one row per measured process (framework mode, precision, device, hardware, library versions, machine load).
-- column run_id: uuid of the measured process
-- column started_at: when the process started (UTC)
-- column model: mlp (784-128-64-10), cnn (ResNet-20 style) or gpt (char-level, nanoGPT mould)
-- column size: full (published shapes) or tiny (test-sized)
-- column framework: torch, tensorflow, or jax (Keras on JAX)
-- column mode: torch-eager, torch-compile, tf-eager, tf-function, tf-xla (tf.function jit_compile=True), keras-fit (Keras defaults) or keras-jax
-- column default_mode: true for each framework's out-of-the-box way to train (torch-eager, keras-fit)
-- column precision: fp32 or bf16
-- column device: cpu or cuda
-- column hardware: CPU model and logical cores, plus the GPU when the run used one; ratios are only taken within one hardware value
-- column distributed: none, ddp (torchrun) or tf.distribute (MirroredStrategy)
-- column world_size: processes or replicas sharing each global batch
-- column jit_compile: whether the training step was compiled (Keras fit reports its resolved jit_compile)
-- column compile_cache: cold or warm Inductor cache (torch-compile); n/a for modes without a persistent compile cache (XLA and tf.function trace afresh in every process)
-- column seed: seed of the initial weights (both frameworks of a repeat start from the same weights)
-- column dataset: training data (fashion-mnist, sklearn-digits, kjv)
-- column parameters: trainable parameters
-- column batch_size: samples per step per process
-- column global_batch_size: samples per optimiser step over all processes
-- column steps: training steps run
-- column warmup_steps: steps after the first excluded from the throughput
-- column first_step_s: wall time of the first training step (tracing / compilation included), seconds
-- column samples_per_s: steady-state training samples (sequences for the GPT) per second: median of five windows of steps after warm-up
-- column samples_per_s_min: slowest of those windows
-- column samples_per_s_max: fastest of those windows
-- column step_ms_p50: median training step time, milliseconds
-- column step_ms_p95: 95th percentile training step time, milliseconds
-- column metric: test_accuracy (classifiers) or val_loss (GPT, nats per character)
-- column target: metric value whose first crossing defines time_to_target_s
-- column time_to_target_s: training seconds (first step included, evaluations excluded) until the metric first reached the target; NULL when it did not
-- column steps_to_target: steps taken when the target was first reached
-- column final_metric: the metric after the last step
-- column final_loss: training loss of the last step
-- column latency_first_call_ms: first batch-1 inference call (tracing / compilation included), milliseconds
-- column latency_ms_p50: median batch-1 inference latency, milliseconds
-- column latency_ms_p99: 99th percentile batch-1 inference latency, milliseconds
-- column peak_rss_mb: peak resident memory of the process, MiB (data arrays included)
-- column peak_device_mb: peak GPU memory allocated (PyTorch allocator view), MiB; NULL on CPU
-- column flops_per_sample: model FLOPs per training sample (3 x forward, analytic)
-- column achieved_gflops: samples_per_s x flops_per_sample / 1e9
-- column cpu_model: CPU model name from /proc/cpuinfo
-- column cpu_cores: logical CPU cores visible to the process
-- column gpu_name: GPU name from nvidia-smi, NULL without a GPU
-- column gpu_driver: NVIDIA driver version, NULL without a GPU
-- column python_version: Python version
-- column torch_version: installed PyTorch version
-- column tensorflow_version: installed TensorFlow version
-- column keras_version: installed Keras version
-- column keras_backend: Keras backend of the run (tensorflow, jax), NULL for PyTorch runs
-- column jax_version: installed JAX version, NULL when absent
-- column load_avg_1m_start: 1-minute load average when the process started (the machine is shared)
-- column load_avg_1m_end: 1-minute load average when it finished
-- column git_sha: commit of the harness that measured
-- column git_dirty: whether the working tree had uncommitted changes
-- column config_json: model config, train config and the evaluation trace (train seconds, steps, metric)
-- column pairing: the protocol pairing the process belongs to: default (torch eager vs Keras fit), compiled (best compiled vs best compiled), pilot (the recorded run that chose the best compiled modes) or none (runs outside the protocol, and rows from before it)
-- column pair_id: id shared by the PyTorch and TensorFlow processes of one alternated pair (same seed); NULL outside the protocol
-- column pair_index: position of the pair within its pairing (the framework that runs first alternates with it)
-- column footing: equal (ready tensors on both sides, channels_last PyTorch CNN) or legacy (the harness before issue #16, re-measured for the before -> after comparison); NULL before the protocol
-- column layout: memory layout of the CNN: channels_last or nchw (PyTorch), nhwc (Keras); n/a for the MLP and GPT; NULL before the protocol
-- column cpu_vendor: CPU vendor id from /proc/cpuinfo (AuthenticAMD, GenuineIntel)
-- column cpu_family: CPU family number (AMD 25 = Zen 3/4, 26 = Zen 5)
-- column cpu_model_number: CPU model number within the family
-- column cpu_flags: the vector/matrix flags that decide the math-library path: avx2, avx512f, avx512_bf16, avx512_vnni, amx_tile, amx_bf16 (those present)
-- column intra_op_threads: intra-op threads of the framework (set equal in both; 0 = TensorFlow's automatic choice)
-- column inter_op_threads: inter-op threads of the framework (0 = automatic)
-- column blas: the math-library path the framework reported (PyTorch: BLAS, MKL version, mkldnn, CPU capability; TensorFlow: oneDNN setting)
-- column matmul_shape: m x k x n of the matmul timed for matmul_gflops (typical of the model's step)
-- column matmul_gflops: fp32 matmul GFLOP/s measured by the framework in the same process at matmul_shape (shows the BLAS effect)
-- column load_before_cores: CPU cores other processes used in the half second before the run (from /proc/stat)
-- column load_during_cores: CPU cores other processes used while the run trained
-- column load_flagged: true when other processes used more than 0.5 cores before or during the run (the ratio is not trustworthy)
-- column matmul_precision: fp32 matmul precision pinned on GPU: highest (TF32 off, both frameworks), tf32 or bf16; NULL on CPU
-- column budget_s: the GPU plan's time budget for the run, seconds; NULL outside the plan
-- column cut: what the time budget cut (e.g. fewer steps), '' when nothing was cut
-- column gpu_json: GPU details as JSON: CUDA and cuDNN versions, clocks, measured bf16/TF32 matmul peaks
-- column source: source name (see the sources table)
-- column source_url: the results file inside the repository
-- column raw_sha256: sha256 of the results file
-- column load_id: the load that stored the row
CREATE OR REPLACE VIEW benchmark_runs AS
SELECT run_id, started_at, model, size, framework, mode,
       mode IN ('torch-eager', 'keras-fit') AS default_mode,
       precision, device,
       cpu_model || ' (' || cpu_cores || ' cores)'
           || CASE WHEN device = 'cuda' AND gpu_name IS NOT NULL THEN ' + ' || gpu_name ELSE '' END
           AS hardware,
       distributed, world_size, jit_compile, compile_cache, seed, dataset, parameters,
       batch_size, global_batch_size, steps, warmup_steps, first_step_s, samples_per_s,
       samples_per_s_min, samples_per_s_max, step_ms_p50, step_ms_p95, metric, target,
       time_to_target_s, steps_to_target, final_metric, final_loss, latency_first_call_ms,
       latency_ms_p50, latency_ms_p99, peak_rss_mb, peak_device_mb, flops_per_sample,
       achieved_gflops, cpu_model, cpu_cores, gpu_name, gpu_driver, python_version,
       torch_version, tensorflow_version, keras_version, keras_backend, jax_version,
       load_avg_1m_start, load_avg_1m_end, git_sha, git_dirty, config_json,
       coalesce(pairing, 'none') AS pairing, pair_id, pair_index, footing, layout, cpu_vendor,
       cpu_family, cpu_model_number, cpu_flags, intra_op_threads, inter_op_threads, blas,
       matmul_shape, matmul_gflops, load_before_cores, load_during_cores, load_flagged,
       matmul_precision, budget_s, cut, gpu_json, source, source_url, raw_sha256, load_id
FROM cur_reference_model_runs;
