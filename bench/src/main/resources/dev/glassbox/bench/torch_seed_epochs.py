"""PyTorch reference timings for the seed models, run by dev.glassbox.bench.SeedWorkloads side by side with Glassbox.

Usage: python3 torch_seed_epochs.py IMAGES_IDX_GZ LABELS_IDX_GZ THREADS REPEATS [TRAIN_DIGITS [INFER_DIGITS]]
Prints one JSON line: {"torch": version, "threads": T, "cnn_epoch_s": best, "mlp_epoch_s": best,
"cnn_infer_s": best}. With one thread the times are process CPU seconds (robust on a shared machine, as
SeedWorkloads' are); with more, wall-clock seconds. Same workloads as SeedWorkloads: the first TRAIN_DIGITS digits
(default 8,000), seed CNN one epoch of SGD (lr 0.01, momentum 0.9, batch 64, NLL on log-softmax, normalised input),
seed MLP one epoch of SGD (lr 0.1, batch 10, categorical cross-entropy on softmax), CNN inference on the first
INFER_DIGITS digits (default 1,000). Data loading is not timed.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = F.relu(self.fc1(x.view(-1, 800)))
        return F.log_softmax(self.fc2(x), dim=1)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.Sigmoid(), nn.Linear(100, 100), nn.Sigmoid(),
                         nn.Linear(100, 100), nn.Sigmoid(), nn.Linear(100, 10), nn.Softmax(dim=1))


CLOCK = time.perf_counter


def epoch(model, opt, x, y, batch, loss_fn, seed):
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    start = CLOCK()
    for i in range(0, len(x), batch):
        idx_ = order[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx_]), y[idx_])
        loss.backward()
        opt.step()
    return CLOCK() - start


def main():
    images, labels, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    train_n = int(sys.argv[5]) if len(sys.argv) > 5 else 8000
    infer_n = int(sys.argv[6]) if len(sys.argv) > 6 else 1000
    global CLOCK
    CLOCK = time.process_time if threads == 1 else time.perf_counter
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x = torch.from_numpy(idx(images)[:train_n].astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(idx(labels)[:train_n].astype(np.int64))
    xn = (x - 0.1307) / 0.3081

    cnn_times, mlp_times, infer_times = [], [], []
    for r in range(repeats):
        cnn = Cnn()
        cnn_times.append(epoch(cnn, torch.optim.SGD(cnn.parameters(), lr=0.01, momentum=0.9), xn, y, 64,
                               F.nll_loss, r))
        with torch.no_grad():
            start = CLOCK()
            cnn(xn[:infer_n])
            infer_times.append(CLOCK() - start)
        m = mlp()

        def loss_mlp(p, yy):
            return -(F.one_hot(yy, 10).float() * torch.log(torch.clamp(p, 1e-7, 1 - 1e-7))).sum(1).mean()

        mlp_times.append(epoch(m, torch.optim.SGD(m.parameters(), lr=0.1), x, y, 10, loss_mlp, r))
    print(json.dumps({"torch": torch.__version__, "threads": threads, "cnn_epoch_s": min(cnn_times),
                      "mlp_epoch_s": min(mlp_times), "cnn_infer_s": min(infer_times)}))


if __name__ == "__main__":
    main()
