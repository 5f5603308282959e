# Writes the PyTorch state_dict test files beside this script (run once; tests never run Python):
#   mlp_legacy.pt    seed MLP (hidden1..hidden3, output), legacy pickle-sequence format
#   deep_zip.pt      seed deep classifier (dense_1..dense_11), zip format
#   cnn_seq_zip.pt   seed CNN with nn.Sequential wrappers (conv1.0.weight, ...), zip format
#   <name>_x.npy     input [4, 1, 28, 28] float32 raw pixels in [0, 1]; <name>_y.npy the model's output
# Made with Debian's python3-torch 1.13.1 and numpy 1.24.2:  /usr/bin/python3 make_state_dicts.py
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.manual_seed(3)
x = torch.rand(4, 1, 28, 28)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1, self.hidden2 = nn.Linear(784, 100), nn.Linear(100, 100)
        self.hidden3, self.output = nn.Linear(100, 100), nn.Linear(100, 10)

    def forward(self, x):
        h = x.reshape(x.shape[0], -1)
        for layer in (self.hidden1, self.hidden2, self.hidden3):
            h = torch.sigmoid(layer(h))
        return F.softmax(self.output(h), dim=1)


class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        for k in range(1, 12):
            setattr(self, "dense_%d" % k, nn.Linear(784 if k == 1 else 20, 10 if k == 11 else 20))

    def forward(self, x):
        h = F.relu(self.dense_1(x.reshape(x.shape[0], -1)))
        for k in range(2, 11):
            h = torch.tanh(getattr(self, "dense_%d" % k)(h))
        return F.softmax(self.dense_11(h), dim=1)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Sequential(nn.Conv2d(1, 20, 5)), nn.Sequential(nn.Conv2d(20, 50, 5))
        self.fc1, self.fc2 = nn.Sequential(nn.Linear(800, 500)), nn.Sequential(nn.Linear(500, 10))

    def forward(self, x):
        x = (x - 0.1307) / 0.3081
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.reshape(x.shape[0], -1)))
        return F.log_softmax(self.fc2(x), dim=1)


for name, model, legacy in (("mlp_legacy", Mlp(), True), ("deep_zip", Deep(), False),
                            ("cnn_seq_zip", Cnn(), False)):
    torch.save(model.state_dict(), name + ".pt", _use_new_zipfile_serialization=not legacy)
    with torch.no_grad():
        np.save(name + "_x.npy", x.numpy())
        np.save(name + "_y.npy", model(x).numpy())
