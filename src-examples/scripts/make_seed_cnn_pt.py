"""Writes the PyTorch-trained seed CNN that notebook 3 loads (run once by hand; the build never runs Python).

    /usr/bin/python3 src-examples/scripts/make_seed_cnn_pt.py     (Debian's python3-torch)

The PyTorch MNIST example CNN (conv 20@5x5, max-pool, conv 50@5x5, max-pool, fc 500, fc 10, log-softmax), seed 1,
one epoch of SGD (lr 0.01, momentum 0.9, batch 64) on the first 8,000 shipped digits normalised with
(x/255 - 0.1307)/0.3081; saved with torch.save(model.state_dict()) (zip format) as
src-examples/src/main/resources/dev/glassbox/examples/seed_cnn_pytorch.pt, and its accuracy on the last 2,000
digits as seed_cnn_pytorch.json beside it.
"""
import gzip
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "../../engine/src/main/resources/dev/glassbox/engine/data")
OUT = os.path.join(HERE, "../src/main/resources/dev/glassbox/examples")


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc1 = nn.Linear(4 * 4 * 50, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = F.relu(self.fc1(x.view(-1, 4 * 4 * 50)))
        return F.log_softmax(self.fc2(x), dim=1)


def main():
    torch.manual_seed(1)
    torch.set_num_threads(1)
    x = torch.from_numpy(idx("mnist10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(idx("mnist10k-labels-idx1-ubyte.gz").astype(np.int64))
    x = (x - 0.1307) / 0.3081
    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    order = torch.randperm(8000)
    for i in range(0, 8000, 64):
        b = order[i:i + 64]
        opt.zero_grad()
        F.nll_loss(model(x[b]), y[b]).backward()
        opt.step()
    with torch.no_grad():
        accuracy = (model(x[8000:]).argmax(1) == y[8000:]).float().mean().item()
    torch.save(model.state_dict(), os.path.join(OUT, "seed_cnn_pytorch.pt"))
    with open(os.path.join(OUT, "seed_cnn_pytorch.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "test_accuracy": accuracy}, f)
    print("test accuracy", accuracy)


if __name__ == "__main__":
    main()
