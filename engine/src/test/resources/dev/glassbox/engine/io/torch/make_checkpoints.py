# Writes training checkpoints of the kind public training scripts save (run once; tests never run Python): the
# model's state_dict inside a dict beside the epoch, the optimizer's state_dict (with momentum tensors) and plain
# numbers, for TorchStateDictTest.
#   ckpt_zip.pt      {"epoch": 3, "arch": "tiny", "best_acc": 0.75, "state_dict": sd, "optimizer": opt}, zip format
#   ckpt_legacy.pt   {"epoch": 3, "model_state_dict": sd, "optimizer_state_dict": opt, "loss": 0.5}, legacy format
#   ckpt_two.pt      {"model": sd, "state_dict": sd}: two candidate state_dicts, which a reader must not choose
#                    between
# sd is {"fc.weight": [2, 3], "fc.bias": [2]} with the values of tiny_legacy.pt.
# Made with Debian's python3-torch 1.13.1:  /usr/bin/python3 make_checkpoints.py
import torch
from torch import nn

fc = nn.Linear(3, 2)
with torch.no_grad():
    fc.weight.copy_(torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4)
    fc.bias.copy_(torch.tensor([0.5, -0.5]))
model = nn.Module()
model.fc = fc
sd = {k: v.clone() for k, v in model.state_dict().items()}
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
model.fc(torch.ones(1, 3)).sum().backward()
opt.step()
torch.save({"epoch": 3, "arch": "tiny", "best_acc": 0.75, "state_dict": sd, "optimizer": opt.state_dict()},
           "ckpt_zip.pt")
torch.save({"epoch": 3, "model_state_dict": sd, "optimizer_state_dict": opt.state_dict(), "loss": 0.5},
           "ckpt_legacy.pt", _use_new_zipfile_serialization=False)
torch.save({"model": sd, "state_dict": sd}, "ckpt_two.pt")
