"""Reference models written twice (PyTorch ``nn.Module`` and Keras 3 functional), weight-ported
and parity-tested, plus the benchmark harness behind ``census bench``.

Nothing here imports torch, tensorflow or keras at package import time: each model file imports
its framework, and the harness imports only the framework of the run it measures.
"""
