# Writes Keras-layout model files with h5py (as Keras itself does; run once, tests never run Python), and each
# model's output computed here in numpy, for KerasH5pyFilesTest:
#   keras3_nested.keras     Keras 3 archive laid out as keras/src/saving/saving_lib.py writes it: an in-memory
#                           model.weights.h5 (H5IOStore: groups layers/<class in snake case>[_<n>]/vars, datasets
#                           "0", "1", ..., the layer's name as the vars group's "name" attribute), config.json and
#                           metadata.json in a zip. A Functional "backbone" nested in a Functional "classifier",
#                           Dense layers in both (so "layers/dense" exists twice, at two depths), a
#                           BatchNormalization with center=False (three variables, no beta).
#   keras2_chunked.h5       Keras 2.2.4 full model as keras/engine/saving.py writes it: fixed-length byte-string
#                           attributes, a nested Sequential whose weight_names are split into weight_names0 and
#                           weight_names1 (Keras splits attributes beyond HDF5's 64 KB object header limit; forced
#                           here on a small model), optimizer_weights beside model_weights.
#   <name>_x.npy, <name>_y.npy   an input batch and the model's output
# Made with Debian's python3-h5py 3.7.0 and numpy 1.24.2:  /usr/bin/python3 make_h5py_models.py
import io
import json
import zipfile

import h5py
import numpy as np

rng = np.random.default_rng(5)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def relu(v):
    return np.maximum(v, 0)


def softmax(v):
    e = np.exp(v - v.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def k3_tensor(layer, width):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, width], "dtype": "float32",
                                                         "keras_history": [layer, 0, 0]}}


def k3_layer(cls, name, config, inbound, build_width=None):
    entry = {"module": "keras.layers", "class_name": cls,
             "config": dict(name=name, trainable=True, dtype={"module": "keras", "class_name": "DTypePolicy",
                                                               "config": {"name": "float32"},
                                                               "registered_name": None}, **config),
             "registered_name": None, "name": name,
             "inbound_nodes": [{"args": [k3_tensor(i, w) for i, w in inbound], "kwargs": {}}] if inbound else []}
    if build_width is not None:
        entry["build_config"] = {"input_shape": [None, build_width]}
    return entry


def k3_input(name, width):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None, width], "dtype": "float32", "sparse": False, "name": name},
            "registered_name": None, "name": name, "inbound_nodes": []}


# ---- keras3_nested.keras ----
w = {"proj/kernel": f32(4, 3), "proj/bias": f32(3),
     "norm/gamma": f32(3), "norm/moving_mean": f32(3),
     "norm/moving_variance": (np.abs(f32(3)) + 0.5).astype(np.float32),
     "mix/kernel": f32(3, 3), "mix/bias": f32(3),
     "head/kernel": f32(3, 2), "head/bias": f32(2)}
backbone = {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": "backbone", "trainable": True, "layers": [
                k3_input("raw", 4),
                k3_layer("Dense", "proj", {"units": 3, "activation": "relu", "use_bias": True}, [("raw", 4)], 4),
                k3_layer("BatchNormalization", "norm", {"axis": -1, "momentum": 0.99, "epsilon": 0.001,
                                                        "center": False, "scale": True}, [("proj", 3)], 3),
                k3_layer("Dense", "mix", {"units": 3, "activation": "tanh", "use_bias": True}, [("norm", 3)], 3)],
                "input_layers": [["raw", 0, 0]], "output_layers": [["mix", 0, 0]]},
            "registered_name": "Functional", "build_config": {"input_shape": [None, 4]}, "name": "backbone",
            "inbound_nodes": [{"args": [k3_tensor("features", 4)], "kwargs": {"training": False}}]}
config = {"module": "keras.src.models.functional", "class_name": "Functional",
          "config": {"name": "classifier", "trainable": True, "layers": [
              k3_input("features", 4), backbone,
              k3_layer("Dense", "head", {"units": 2, "activation": "softmax", "use_bias": True},
                       [("backbone", 3)], 3)],
              "input_layers": [["features", 0, 0]], "output_layers": [["head", 0, 0]]},
          "registered_name": "Functional", "build_config": {"input_shape": None},
          "compile_config": {"optimizer": "adam", "loss": "categorical_crossentropy"}}
buffer = io.BytesIO()
with h5py.File(buffer, "w") as h5:
    def store(path, name, values):
        vars_ = h5.create_group(path).create_group("vars")
        vars_.attrs["name"] = name
        for i, v in enumerate(values):
            vars_[str(i)] = v
    h5.create_group("vars")                                                  # the model's own (none)
    store("layers/input_layer", "features", [])
    store("layers/functional", "backbone", [])
    store("layers/functional/layers/input_layer", "raw", [])
    store("layers/functional/layers/dense", "proj", [w["proj/kernel"], w["proj/bias"]])
    store("layers/functional/layers/batch_normalization", "norm",
          [w["norm/gamma"], w["norm/moving_mean"], w["norm/moving_variance"]])
    store("layers/functional/layers/dense_1", "mix", [w["mix/kernel"], w["mix/bias"]])
    store("layers/dense", "head", [w["head/kernel"], w["head/bias"]])
    store("optimizer", "adam", [np.array(3, dtype=np.int64)])
with zipfile.ZipFile("keras3_nested.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2024-09-01@12:00:00"}))
    z.writestr("config.json", json.dumps(config))
    z.writestr("model.weights.h5", buffer.getvalue())
x = f32(5, 4)
h = relu(x @ w["proj/kernel"] + w["proj/bias"])
h = (h - w["norm/moving_mean"]) / np.sqrt(w["norm/moving_variance"] + 0.001) * w["norm/gamma"]
h = np.tanh(h @ w["mix/kernel"] + w["mix/bias"])
np.save("keras3_nested_x.npy", x)
np.save("keras3_nested_y.npy", softmax(h @ w["head/kernel"] + w["head/bias"]).astype(np.float32))

# ---- keras2_chunked.h5 ----
v = {"fc1/kernel": f32(4, 3), "fc1/bias": f32(3), "fc2/kernel": f32(3, 3), "fc2/bias": f32(3),
     "out/kernel": f32(3, 1), "out/bias": f32(1)}
config = {"class_name": "Model", "config": {"name": "model_1", "layers": [
    {"name": "input_1", "class_name": "InputLayer",
     "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "input_1"},
     "inbound_nodes": []},
    {"name": "features", "class_name": "Sequential", "config": {"name": "features", "layers": [
        {"class_name": "Dense", "config": {"name": "fc1", "trainable": True, "batch_input_shape": [None, 4],
                                           "dtype": "float32", "units": 3, "activation": "relu",
                                           "use_bias": True}},
        {"class_name": "Dense", "config": {"name": "fc2", "trainable": True, "units": 3, "activation": "tanh",
                                           "use_bias": True}}]},
     "inbound_nodes": [[["input_1", 0, 0, {}]]]},
    {"name": "out", "class_name": "Dense", "config": {"name": "out", "trainable": True, "units": 1,
                                                      "activation": "sigmoid", "use_bias": True},
     "inbound_nodes": [[["features", 0, 0, {}]]]}],
    "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}}
with h5py.File("keras2_chunked.h5", "w") as h5:
    h5.attrs["keras_version"] = np.bytes_("2.2.4")
    h5.attrs["backend"] = np.bytes_("tensorflow")
    h5.attrs["model_config"] = np.bytes_(json.dumps(config))
    h5.attrs["training_config"] = np.bytes_(json.dumps({"optimizer_config": {"class_name": "SGD"},
                                                        "loss": "binary_crossentropy"}))
    mw = h5.create_group("model_weights")
    mw.attrs["layer_names"] = np.array([b"input_1", b"features", b"out"])
    mw.attrs["backend"] = np.bytes_("tensorflow")
    mw.attrs["keras_version"] = np.bytes_("2.2.4")
    mw.create_group("input_1").attrs["weight_names"] = np.array([], dtype=np.float64)
    g = mw.create_group("features")
    names = [b"fc1/kernel:0", b"fc1/bias:0", b"fc2/kernel:0", b"fc2/bias:0"]
    g.attrs["weight_names0"] = np.array(names[:2])
    g.attrs["weight_names1"] = np.array(names[2:])
    for n in names:
        g[n.decode()] = v[n.decode()[:-2]]
    g = mw.create_group("out")
    g.attrs["weight_names"] = np.array([b"out/kernel:0", b"out/bias:0"])
    g["out/kernel:0"] = v["out/kernel"]
    g["out/bias:0"] = v["out/bias"]
    ow = h5.create_group("optimizer_weights")
    ow.attrs["weight_names"] = np.array([b"training/SGD/Variable:0"])
    ow["training/SGD/Variable:0"] = f32(4, 3)
x = f32(5, 4)
h = np.tanh(relu(x @ v["fc1/kernel"] + v["fc1/bias"]) @ v["fc2/kernel"] + v["fc2/bias"])
np.save("keras2_chunked_x.npy", x)
np.save("keras2_chunked_y.npy", (1 / (1 + np.exp(-(h @ v["out/kernel"] + v["out/bias"])))).astype(np.float32))
