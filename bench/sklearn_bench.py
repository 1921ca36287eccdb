"""The scikit-learn half of bench/run.sh: times sklearn.cluster.KMeans on the
shared matrix exactly as kmeansbench times package cluster, printing JSON."""
import json
import resource
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

path, n, d, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, dtype="<f8").reshape(n, d)
# The k-means++ centroids both tools start the per-iteration timing from.
init_pp = np.fromfile(sys.argv[5], dtype="<f8").reshape(8, d)


def fit_time(iters, init):
    """Best of 5 times of a fit from the given centroids (as the Go side
    starts), at most iters iterations; and the iterations it ran."""
    best, n_iter = float("inf"), 0
    for _ in range(5):
        start = time.perf_counter()
        m = KMeans(n_clusters=8, init=init, n_init=1, max_iter=iters, tol=0,
                   algorithm="lloyd").fit(x)
        best = min(best, time.perf_counter() - start)
        n_iter = int(m.n_iter_)
    return best, n_iter


with threadpool_limits(limits=threads):
    r = {"tool": "scikit-learn", "threads": threads}
    import sklearn
    r["version"] = sklearn.__version__
    (t21, i21), (t1, i1) = fit_time(21, init_pp), fit_time(1, init_pp)
    r["iter_ms"] = 1000 * (t21 - t1) / (i21 - i1)
    r["iter_count"] = i21
    (t21, i21), (t1, i1) = fit_time(21, x[:8]), fit_time(1, x[:8])
    r["iter_rows_ms"] = 1000 * (t21 - t1) / (i21 - i1)
    r["iter_rows_count"] = i21
    start = time.perf_counter()
    km = KMeans(n_clusters=8, n_init=10, tol=1e-4, max_iter=300, algorithm="lloyd", random_state=1).fit(x)
    r["fit_s"] = time.perf_counter() - start
    r["fit_inertia"] = float(km.inertia_)
    r["iterations_of_fit"] = int(km.n_iter_)
    start = time.perf_counter()
    r["sweep_inertia"] = {}
    for k in range(2, 13):
        m = KMeans(n_clusters=k, n_init=3, tol=1e-4, max_iter=300, algorithm="lloyd", random_state=1).fit(x)
        r["sweep_inertia"][str(k)] = float(m.inertia_)
    r["sweep_s"] = time.perf_counter() - start
    start = time.perf_counter()
    silhouette_score(x, km.labels_, sample_size=10000, random_state=1)
    r["silhouette_s"] = time.perf_counter() - start
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
print(json.dumps(r))
