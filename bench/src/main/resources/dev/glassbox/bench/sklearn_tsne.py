"""scikit-learn reference for t-SNE, run by dev.glassbox.bench.Comparisons beside Glassbox's TSne.

Usage: python3 sklearn_tsne.py X_NPY THREADS ITERATIONS
X_NPY holds the rows to embed (Glassbox writes the same PCA-50 rows it embeds itself). Runs
TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', method='barnes_hut', n_jobs=THREADS,
n_iter=ITERATIONS, random_state=1).fit_transform: the whole run, nearest neighbours and affinities included, timed
by the wall clock. Prints one JSON line: {"sklearn": version, "n": rows, "seconds": wall seconds, "kl": final KL}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE


def main():
    x = np.load(sys.argv[1]).astype(np.float32)
    threads, iterations = int(sys.argv[2]), int(sys.argv[3])
    tsne = TSNE(n_components=2, perplexity=30.0, init="pca", learning_rate="auto", method="barnes_hut",
                n_jobs=threads, n_iter=iterations, random_state=1)
    start = time.perf_counter()
    tsne.fit_transform(x)
    seconds = time.perf_counter() - start
    print(json.dumps({"sklearn": sklearn.__version__, "n": int(x.shape[0]), "seconds": seconds,
                      "kl": float(tsne.kl_divergence_)}))


if __name__ == "__main__":
    main()
