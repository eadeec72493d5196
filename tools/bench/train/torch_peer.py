#!/usr/bin/python3
"""PyTorch CPU peer for tools/bench/train: one epoch of MLP-M1 on the given points, and manual-CNN
training steps at 128x128x3. Prints JSON {mlpSamplesPerSec, cnnSamplesPerSec}. Threads = argv[3]."""
import json, sys, time
import numpy as np
import torch
from torch import nn

csv, cnn_samples, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
a = np.loadtxt(csv, delimiter=',', dtype=np.float32)
x, y = torch.from_numpy(a[:, 1:].copy()), torch.from_numpy(a[:, 0].astype(np.int64))

mlp = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
perm = torch.randperm(len(y))
t = time.perf_counter()
for i in range(0, len(y), 128):
    idx = perm[i:i + 128]
    opt.zero_grad()
    loss_fn(mlp(x[idx]), y[idx]).backward()
    opt.step()
mlp_sps = len(y) / (time.perf_counter() - t)

cnn = nn.Sequential(
    nn.Conv2d(3, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 2))
opt = torch.optim.SGD(cnn.parameters(), lr=1e-3)
xb = torch.randn(8, 3, 128, 128)
yb = torch.tensor([0, 1] * 4)
opt.zero_grad(); loss_fn(cnn(xb), yb).backward(); opt.step()  # warm-up
t = time.perf_counter()
for _ in range(cnn_samples // 8):
    opt.zero_grad()
    loss_fn(cnn(xb), yb).backward()
    opt.step()
cnn_sps = (cnn_samples // 8) * 8 / (time.perf_counter() - t)
print(json.dumps({'mlpSamplesPerSec': mlp_sps, 'cnnSamplesPerSec': cnn_sps}))
