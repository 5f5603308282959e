# Writes conv_transpose_keras.safetensors beside this script (run once; tests never run Python): transposed
# convolutions with Keras' output-size rules (output_padding, dilation_rate, 'valid'/'same', kernel smaller than
# the stride) computed by PyTorch's ConvTranspose2d, for Conv2DTransposeOpTest.
#
# Keras (TensorFlow) picks the output length L by deconv_output_length and places the scattered kernel patches by
# TF's 'same' rule for the convolution from the output back to the input (top = total // 2). PyTorch crops
# symmetrically, so each case is computed uncropped (padding=0, output_padding reaching L if the scatter falls
# short) and then cut to rows [top, top + L) and columns [left, left + L_w).
#
# Per case i: c<i>_x [N, C, H, W], c<i>_w [C, O, kh, kw] (ConvTranspose2d layout), c<i>_b [O], c<i>_y the output;
# metadata c<i> = "padding strideH strideW dilationH dilationW outputPaddingH outputPaddingW" (-1 = unset).
# Made with Debian's python3-torch 1.13.1:  /usr/bin/python3 make_conv_transpose.py
import json
import struct

import torch
import torch.nn.functional as F

torch.manual_seed(7)

CASES = [  # padding, stride, dilation, output_padding (None = unset), kernel, input H x W
    ("valid", (2, 2), (1, 1), (1, 1), (3, 3), (3, 4)),
    ("same", (2, 2), (1, 1), (1, 1), (3, 3), (3, 5)),
    ("same", (2, 2), (1, 1), None, (4, 4), (3, 3)),
    ("valid", (1, 1), (2, 2), None, (3, 3), (4, 3)),
    ("same", (1, 1), (2, 2), None, (3, 3), (4, 5)),
    ("valid", (3, 3), (1, 1), None, (2, 2), (2, 3)),
    ("same", (2, 2), (1, 1), (1, 1), (1, 1), (3, 2)),
    ("same", (2, 3), (1, 1), (1, 2), (3, 4), (3, 3)),
    ("valid", (2, 1), (1, 3), (0, 0), (2, 3), (3, 4)),
]


def keras_length(n, k, s, d, op, padding):
    eff = d * (k - 1) + 1
    if op is None:
        return n * s if padding == "same" else n * s + max(eff - s, 0)
    pad = eff // 2 if padding == "same" else 0
    return (n - 1) * s + eff - 2 * pad + op


def tf_top(length, k, s, d, padding):
    if padding == "valid":
        return 0
    eff = d * (k - 1) + 1
    out = -(-length // s)
    return max((out - 1) * s + eff - length, 0) // 2


tensors, meta = {}, {}
for i, (padding, stride, dilation, op, kernel, size) in enumerate(CASES):
    x = torch.randn(2, 3, *size)
    w = torch.randn(3, 2, *kernel)
    b = torch.randn(2)
    lengths, tops, extra = [], [], []
    for a in range(2):
        length = keras_length(size[a], kernel[a], stride[a], dilation[a], None if op is None else op[a], padding)
        top = tf_top(length, kernel[a], stride[a], dilation[a], padding)
        full = (size[a] - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1
        lengths.append(length)
        tops.append(top)
        extra.append(max(0, top + length - full))
    y = F.conv_transpose2d(x, w, b, stride=stride, padding=0, output_padding=tuple(extra), dilation=dilation)
    y = y[:, :, tops[0]:tops[0] + lengths[0], tops[1]:tops[1] + lengths[1]]
    assert tuple(y.shape[2:]) == tuple(lengths), (i, y.shape, lengths)
    for name, t in (("x", x), ("w", w), ("b", b), ("y", y)):
        tensors["c%d_%s" % (i, name)] = t.contiguous()
    ops = (-1, -1) if op is None else op
    meta["c%d" % i] = " ".join(str(v) for v in (padding, *stride, *dilation, *ops))

header, offset = {"__metadata__": meta}, 0
for name, t in tensors.items():
    n = t.numel() * 4
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + n]}
    offset += n
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open("conv_transpose_keras.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text)
    for t in tensors.values():
        f.write(t.numpy().astype("<f4").tobytes())
