"""Keras 3 side of the harness: TensorFlow eager, ``tf.function``, XLA, Keras ``fit`` and
Keras ``fit`` on the JAX backend; ``tf.distribute.MirroredStrategy`` for the custom loop.

The Keras backend is fixed when Keras is first imported, so ``bench.main`` sets
``KERAS_BACKEND`` before importing this module (every run is its own process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from reference_models.cnn_keras import build_cnn
from reference_models.config import TrainConfig
from reference_models.gpt_keras import build_gpt
from reference_models.mlp_keras import build_mlp
from reference_models.modes import KERAS_MODES
from reference_models.modes import MODES as MODE_TABLE

MODES = KERAS_MODES
BUILDERS: dict[str, Callable[[Any], keras.Model]] = {
    "mlp": build_mlp,
    "cnn": build_cnn,
    "gpt": build_gpt,
}


def build_model(model: str, config: Any) -> keras.Model:
    return BUILDERS[model](config)


def to_input(model: str, x: np.ndarray) -> np.ndarray:
    """uint8 NHWC images -> float32 in [0, 1]; token ids stay int32."""
    return x if model == "gpt" else x.astype(np.float32) / np.float32(255.0)


def adam(train: TrainConfig) -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(
        learning_rate=train.learning_rate,
        beta_1=train.adam_beta1,
        beta_2=train.adam_beta2,
        epsilon=train.adam_eps,
    )


def logical_cpus(count: int) -> list[str]:
    """Split the CPU into ``count`` logical devices (before TensorFlow initialises)."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
    )
    return [d.name for d in tf.config.list_logical_devices("CPU")]


class FitCallback(keras.callbacks.Callback):
    """Reports each step to the clock; Keras logs a running mean, so the step's own loss is
    recovered from consecutive means."""

    def __init__(self, on_step: Callable[[int, float], None]) -> None:
        super().__init__()
        self.on_step = on_step
        self.mean = 0.0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        mean = float((logs or {}).get("loss", np.nan))  # float() waits for the step
        loss = (batch + 1) * mean - batch * self.mean
        self.mean = mean
        self.on_step(batch, loss)


class KerasRunner:
    def __init__(
        self,
        model: str,
        mode: str,
        config: Any,
        train: TrainConfig,
        data: Any,
        precision: str = "fp32",
        device: str = "cpu",
        seed: int = 0,
        init_state: dict[str, np.ndarray] | None = None,
        replicas: int = 1,
        footing: str = "equal",
    ) -> None:
        if mode not in MODES:
            msg = f"unknown Keras mode {mode!r}; one of {MODES}"
            raise ValueError(msg)
        self.backend = keras.backend.backend()
        self.framework = "tensorflow" if self.backend == "tensorflow" else self.backend
        self.model_name, self.mode, self.train_cfg, self.data = model, mode, train, data
        self.strategy = None
        if replicas > 1:
            if mode != "tf-function":
                msg = "tf.distribute runs use the tf-function mode"
                raise ValueError(msg)
            import tensorflow as tf

            self.strategy = tf.distribute.MirroredStrategy(logical_cpus(replicas)[:replicas])
        self.replicas = replicas
        if self.backend == "tensorflow":
            import tensorflow as tf

            tf.config.experimental.enable_tensor_float_32_execution(train.tf32)
        keras.utils.set_random_seed(seed)
        keras.mixed_precision.set_dtype_policy(
            "mixed_bfloat16" if precision == "bf16" else "float32"
        )
        scope = self.strategy.scope() if self.strategy else _NullScope()
        with scope:
            self.net = build_model(model, config)
            if init_state is not None:
                from reference_models.port import load_state_into_keras

                load_state_into_keras(init_state, self.net)
            self.optimizer = adam(train)
            self.optimizer.build(self.net.trainable_variables)  # not lazily inside tf.function
            self.loss_fn = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction="none" if self.strategy else "sum_over_batch_size"
            )
        self.x_train = to_input(model, data.x_train)
        self.y_train = data.y_train.astype(np.int32)
        self.footing = footing
        self.ready: list[tuple[Any, Any]] = []
        if MODE_TABLE[mode].custom_loop and self.strategy is None and footing == "equal":
            # Ready tensors before any step, as PyTorch gets them: the timed TF step does
            # no host -> tensor conversion (one tensor pair per distinct batch, cycled).
            distinct = len(self.x_train) if model == "gpt" else len(self.x_train) // self.per_step
            self.ready = [
                tuple(keras.ops.convert_to_tensor(v) for v in self.host_batch(i))
                for i in range(min(train.steps, max(distinct, 1)))
            ]

    def parameters(self) -> int:
        return int(sum(int(np.prod(w.shape)) for w in self.net.trainable_weights))

    @property
    def per_step(self) -> int:
        return self.train_cfg.batch_size * self.replicas

    def batch(self, step: int) -> tuple[Any, Any]:
        """The step's batch as the training loop gets it: ready tensors (custom loop)."""
        if self.ready:
            return self.ready[step % len(self.ready)]
        return self.host_batch(step)

    def host_batch(self, step: int, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The step's batch as NumPy arrays, sliced from the pre-materialised data."""
        size = size or self.per_step
        if self.model_name == "gpt":
            index = step % len(self.x_train)
            return self.x_train[index], self.y_train[index]
        usable = len(self.x_train) // size * size
        start = (step * size) % usable
        return self.x_train[start : start + size], self.y_train[start : start + size]

    def _loss(self, x, y):
        logits = keras.ops.cast(self.net(x, training=True), "float32")
        return self.loss_fn(y, logits)

    def _step_function(self) -> Callable[[Any, Any], Any]:
        import tensorflow as tf

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = self._loss(x, y)
                if self.strategy is not None:  # mean over the global batch (and positions)
                    per_sample = tf.reshape(loss, (tf.shape(loss)[0], -1))
                    loss = tf.nn.compute_average_loss(
                        tf.reduce_mean(per_sample, axis=1),
                        global_batch_size=self.train_cfg.batch_size * self.replicas,
                    )
            grads = tape.gradient(loss, self.net.trainable_variables)
            # Embedding gradients arrive as IndexedSlices, which Keras' Adam applies lazily
            # (untouched rows keep their moments); PyTorch's are dense. Densify for parity.
            grads = [
                tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads
            ]
            self.optimizer.apply_gradients(zip(grads, self.net.trainable_variables, strict=True))
            return loss

        if self.strategy is not None:

            def distributed(x, y):
                losses = self.strategy.run(step, args=(x, y))
                return self.strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

            return tf.function(distributed)
        if not MODE_TABLE[self.mode].compiled:
            return step
        return tf.function(step, jit_compile=MODE_TABLE[self.mode].jit_compile)

    def _shard(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        per = self.train_cfg.batch_size

        def part(values: np.ndarray) -> Any:
            return self.strategy.experimental_distribute_values_from_function(
                lambda ctx: values[
                    ctx.replica_id_in_sync_group * per : (ctx.replica_id_in_sync_group + 1) * per
                ]
            )

        return part(x), part(y)

    def train(self, steps: int, on_step: Callable[[int, float], None]) -> None:
        if MODE_TABLE[self.mode].custom_loop:
            step = self._step_function()
            for i in range(steps):
                if self.strategy is not None:
                    x, y = self._shard(*self.host_batch(i))
                elif self.ready:
                    x, y = self.batch(i)
                else:  # footing "legacy": the old harness converted inside the timed step
                    x, y = (keras.ops.convert_to_tensor(v) for v in self.batch(i))
                on_step(i, float(step(x, y).numpy()))  # the sync point, as torch's .item()
            return
        self._fit(steps, on_step)

    def _fit(self, steps: int, on_step: Callable[[int, float], None]) -> None:
        """Keras' own loop with its defaults (``jit_compile="auto"``); the inputs are the
        backend's tensors, made before ``fit`` (PyTorch gets ready tensors too)."""
        self.net.compile(optimizer=self.optimizer, loss=self.loss_fn)
        batches = [self.host_batch(i) for i in range(steps)]
        x = np.concatenate([b[0] for b in batches])
        y = np.concatenate([b[1] for b in batches])
        if self.footing == "equal":  # "legacy" hands Keras NumPy arrays, as the old harness
            x, y = keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(y)
        self.net.fit(
            x,
            y,
            batch_size=self.train_cfg.batch_size,
            epochs=1,
            shuffle=False,
            verbose=0,
            callbacks=[FitCallback(on_step)],
        )

    def jit_compile(self) -> str:
        if not MODE_TABLE[self.mode].custom_loop:
            return str(getattr(self.net, "jit_compile", "auto"))
        return str(MODE_TABLE[self.mode].jit_compile)

    def logits(self, x: np.ndarray, chunk: int = 500) -> np.ndarray:
        if hasattr(self.net, "jax_state_sync"):  # inside JAX fit the weights live in a state
            self.net.jax_state_sync()
        x = to_input(self.model_name, x)
        return np.concatenate(
            [
                np.asarray(keras.ops.cast(self.net(x[i : i + chunk], training=False), "float32"))
                for i in range(0, len(x), chunk)
            ]
        )

    def predictor(self, sample: np.ndarray) -> Callable[[], Any]:
        """Batch-1 inference in this mode: eager call, tf.function, XLA or predict_on_batch."""
        x = to_input(self.model_name, sample)
        mode = MODE_TABLE[self.mode]
        if not mode.custom_loop:
            return lambda: self.net.predict_on_batch(x)
        if not mode.compiled:
            return lambda: self.net(x, training=False).numpy()
        import tensorflow as tf

        fn = tf.function(lambda t: self.net(t, training=False), jit_compile=mode.jit_compile)
        tensor = tf.convert_to_tensor(x)
        return lambda: fn(tensor).numpy()

    def peak_device_mb(self) -> float | None:
        """Peak device memory of the JAX allocator on a GPU; None on CPU."""
        if self.backend != "jax":
            return None
        import jax

        device = jax.devices()[0]
        if device.platform != "gpu":
            return None
        stats = device.memory_stats() or {}
        peak = stats.get("peak_bytes_in_use")
        return peak / 2**20 if peak is not None else None


class _NullScope:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
