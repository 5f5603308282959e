# Writes the small state_dicts the mutation fuzz test starts from (run once; tests never run Python): every byte of
# a small file is structure (pickle opcodes, zip records, storage headers), so mutants reach the readers' checks
# far more often per second than mutants of the full models.
#   tiny_legacy.pt   {"fc.weight": [2, 3], "fc.bias": [2]}, legacy pickle-sequence format
#   tiny_zip.pt      the same, zip format
# Made with Debian's python3-torch 1.13.1:  /usr/bin/python3 make_fuzz_seeds.py
from collections import OrderedDict

import torch

state = OrderedDict([("fc.weight", torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4),
                     ("fc.bias", torch.tensor([0.5, -0.5]))])
torch.save(state, "tiny_legacy.pt", _use_new_zipfile_serialization=False)
torch.save(state, "tiny_zip.pt")
