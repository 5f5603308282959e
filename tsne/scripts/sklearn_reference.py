"""scikit-learn's t-SNE on the reference setting of the tsne module, for side-by-side comparisons.

Reference setting: the shipped 10,000 digits, pixels / 255, PCA to 50 dimensions fitted on all 10,000 rows;
size N = the first N rows; perplexity 30, 1,000 iterations. Prints, per run, the wall time of TSNE.fit_transform
(affinities included), scikit-learn's own KL and trustworthiness (k = 10) against the PCA-50 input.

Usage (Debian's python3-sklearn):  /usr/bin/python3 tsne/scripts/sklearn_reference.py METHOD:N[:SEED] ...
e.g. exact:1000:0 exact:1000:1 barnes_hut:10000
"""
import gzip
import os
import sys
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "engine", "src", "main", "resources", "dev", "glassbox",
                    "engine", "data", "mnist10k-images-idx3-ubyte.gz")


def digits():
    with gzip.open(DATA, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 255.0


def main(runs):
    x_all = PCA(n_components=50, svd_solver="full").fit_transform(digits()).astype(np.float32)
    threads = int(os.environ.get("THREADS", "2"))
    for run in runs:
        parts = run.split(":")
        method, n = parts[0], int(parts[1])
        seed = int(parts[2]) if len(parts) > 2 else 0
        x = x_all[:n]
        start = time.perf_counter()
        tsne = TSNE(n_components=2, perplexity=30, init="pca", learning_rate="auto", method=method,
                    n_iter=1000, random_state=seed, n_jobs=threads)
        y = tsne.fit_transform(x)
        seconds = time.perf_counter() - start
        trust = trustworthiness(x, y, n_neighbors=10)
        print(f"sklearn {method:<10} N={n:5d} seed={seed} threads={threads} wall {seconds:7.2f} s  "
              f"KL {tsne.kl_divergence_:.4f}  trustworthiness {trust:.4f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["exact:1000", "barnes_hut:10000"])
