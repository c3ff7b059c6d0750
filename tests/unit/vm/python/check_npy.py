"""Loads the .npy files that snn_vm_python_tool writes with numpy.load and checks shape, dtype
and every value against arrays built here independently. Run by CTest (vm/output/npy_numpy)."""
import os
import shutil
import subprocess
import sys

import numpy as np


def main():
    tool, directory = sys.argv[1], sys.argv[2]
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([tool, "npy", directory], check=True)

    def load(name, dtype, shape):
        array = np.load(os.path.join(directory, name), allow_pickle=False)
        assert array.dtype == np.dtype(dtype), f"{name}: dtype {array.dtype}, expected {dtype}"
        assert array.shape == shape, f"{name}: shape {array.shape}, expected {shape}"
        assert not np.isfortran(array) or array.ndim < 2, f"{name}: fortran order"
        return array

    f8 = load("f8_1d.npy", "<f8", (9,))
    expected = np.array([k * 0.1 - 3 for k in range(7)] + [1e-300, -np.inf])
    assert np.array_equal(f8, expected), f8

    i4 = load("i4_2d.npy", "<i4", (3, 4))
    assert np.array_equal(i4, np.arange(4)[None, :] + 10 * np.arange(3)[:, None] - 5), i4

    i8 = load("i8_1d.npy", "<i8", (3,))
    assert i8.tolist() == [-(2**63), 0, 2**62], i8

    u4 = load("u4_2d.npy", "<u4", (2, 2))
    assert u4.tolist() == [[0, 1], [4294967295, 7]], u4

    load("empty_2d.npy", "<f8", (0, 3))

    stream = load("stream_f8.npy", "<f8", (1000, 5))
    assert np.array_equal(stream, np.arange(1000)[:, None] + np.arange(5)[None, :] / 10.0)

    vector = load("stream_i4.npy", "<i4", (12345,))
    assert np.array_equal(vector, np.arange(12345) * 3 - 7)

    leftovers = [n for n in os.listdir(directory) if ".tmp-" in n]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    print(f"numpy {np.__version__} read every file as written")


if __name__ == "__main__":
    main()
