-- Reference-model benchmark runs (census bench): one row per measured process, loaded from the
-- JSON lines committed under reference_models/results/.
CREATE TABLE reference_model_runs (
    run_id                VARCHAR NOT NULL,   -- uuid written by the run
    started_at            TIMESTAMPTZ NOT NULL,
    model                 VARCHAR NOT NULL,   -- mlp | cnn | gpt
    size                  VARCHAR NOT NULL,   -- full (published shapes) | tiny (tests)
    framework             VARCHAR NOT NULL,   -- torch | tensorflow | jax
    mode                  VARCHAR NOT NULL,   -- torch-eager, torch-compile, tf-eager, tf-function, tf-xla, keras-fit, keras-jax
    precision             VARCHAR NOT NULL,   -- fp32 | bf16
    device                VARCHAR NOT NULL,   -- cpu | cuda
    distributed           VARCHAR NOT NULL,   -- none | ddp | tf.distribute
    world_size            INTEGER NOT NULL,
    jit_compile           VARCHAR,
    compile_cache         VARCHAR,            -- cold | warm (torch-compile) | n/a
    seed                  INTEGER NOT NULL,
    dataset               VARCHAR NOT NULL,
    parameters            BIGINT NOT NULL,
    batch_size            INTEGER NOT NULL,
    global_batch_size     INTEGER NOT NULL,
    steps                 INTEGER NOT NULL,
    warmup_steps          INTEGER NOT NULL,
    first_step_s          DOUBLE NOT NULL,
    samples_per_s         DOUBLE NOT NULL,
    samples_per_s_min     DOUBLE,
    samples_per_s_max     DOUBLE,
    step_ms_p50           DOUBLE,
    step_ms_p95           DOUBLE,
    metric                VARCHAR NOT NULL,   -- test_accuracy | val_loss
    target                DOUBLE,
    time_to_target_s      DOUBLE,
    steps_to_target       INTEGER,
    final_metric          DOUBLE,
    final_loss            DOUBLE,
    latency_first_call_ms DOUBLE,
    latency_ms_p50        DOUBLE,
    latency_ms_p99        DOUBLE,
    peak_rss_mb           DOUBLE,
    peak_device_mb        DOUBLE,
    flops_per_sample      DOUBLE,
    achieved_gflops       DOUBLE,
    cpu_model             VARCHAR NOT NULL,
    cpu_cores             INTEGER NOT NULL,
    gpu_name              VARCHAR,
    gpu_driver            VARCHAR,
    python_version        VARCHAR,
    torch_version         VARCHAR,
    tensorflow_version    VARCHAR,
    keras_version         VARCHAR,
    keras_backend         VARCHAR,
    jax_version           VARCHAR,
    load_avg_1m_start     DOUBLE,
    load_avg_1m_end       DOUBLE,
    git_sha               VARCHAR,
    git_dirty             BOOLEAN,
    config_json           VARCHAR NOT NULL,   -- model_config, train_config, evaluations
    source                VARCHAR NOT NULL,
    source_url            VARCHAR NOT NULL,   -- results file path in the repository
    fetched_at            TIMESTAMPTZ NOT NULL,
    raw_sha256            VARCHAR NOT NULL,
    load_id               VARCHAR NOT NULL,
    PRIMARY KEY (run_id, load_id)
);
