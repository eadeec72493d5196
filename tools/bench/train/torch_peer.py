#!/usr/bin/python3
"""PyTorch CPU peer for tools/bench/train, the same models and batches as ours:
MLP-M1 one epoch on the given points (batch 128, Adam 1e-3); manual-CNN training steps at 128x128x3
(batch 8, SGD 1e-3); LSTM and CNN+LSTM training steps on [steps, features] sequences (batch 32, Adam).
argv: train.csv cnn_samples eeg_samples threads steps features. Prints JSON {wall, cpu}: samples per second and per CPU
second of this process (all its threads) per model."""
import json, sys, time
import numpy as np
import torch
from torch import nn

csv, cnn_samples, eeg_samples, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
steps, features = int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
torch.manual_seed(1)
loss_fn = nn.CrossEntropyLoss()
a = np.loadtxt(csv, delimiter=',', dtype=np.float32)
x, y = torch.from_numpy(a[:, 1:].copy()), torch.from_numpy(a[:, 0].astype(np.int64))

mlp = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
perm = torch.randperm(len(y))
t, c = time.perf_counter(), time.process_time()
for i in range(0, len(y), 128):
    idx = perm[i:i + 128]
    opt.zero_grad()
    loss_fn(mlp(x[idx]), y[idx]).backward()
    opt.step()
mlp_sps, mlp_cpu = len(y) / (time.perf_counter() - t), len(y) / (time.process_time() - c)


def steady(model, opt, xb, yb, samples):
    """Samples per second and per CPU second of training steps on one batch, after a warm-up step."""
    opt.zero_grad(); loss_fn(model(xb), yb).backward(); opt.step()
    n = samples // len(yb)
    t, c = time.perf_counter(), time.process_time()
    for _ in range(n):
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
    return n * len(yb) / (time.perf_counter() - t), n * len(yb) / (time.process_time() - c)


cnn = nn.Sequential(
    nn.Conv2d(3, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 2))
cnn_sps = steady(cnn, torch.optim.SGD(cnn.parameters(), lr=1e-3), torch.randn(8, 3, 128, 128), torch.tensor([0, 1] * 4), cnn_samples)


class Lstm(nn.Module):
    """Our zoo's LSTM: LSTM 64 (sequences) -> LSTM 64 (last step) -> Dense 2."""
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.out = nn.LSTM(features, 64, batch_first=True), nn.LSTM(64, 64, batch_first=True), nn.Linear(64, 2)

    def forward(self, s):
        h, _ = self.l1(s)
        h, _ = self.l2(h)
        return self.out(h[:, -1])


class CnnLstm(nn.Module):
    """Our zoo's CNN+LSTM: Conv1D 32 k3 same ReLU -> Conv1D 64 k3 same ReLU -> MaxPool 2 -> LSTM 64 ->
    LSTM 32 (last step) -> Dropout 0.25 -> Dense 2."""
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv1d(features, 32, 3, padding=1), nn.Conv1d(32, 64, 3, padding=1)
        self.l1, self.l2 = nn.LSTM(64, 64, batch_first=True), nn.LSTM(64, 32, batch_first=True)
        self.drop, self.out = nn.Dropout(0.25), nn.Linear(32, 2)

    def forward(self, s):
        h = torch.relu(self.c2(torch.relu(self.c1(s.transpose(1, 2)))))
        h = nn.functional.max_pool1d(h, 2).transpose(1, 2)
        h, _ = self.l1(h)
        h, _ = self.l2(h)
        return self.out(self.drop(h[:, -1]))


seq, labels = torch.randn(32, steps, features), torch.tensor([0, 1] * 16)
lstm, cnn_lstm = Lstm(), CnnLstm()
lstm_sps = steady(lstm, torch.optim.Adam(lstm.parameters(), lr=1e-3), seq, labels, eeg_samples)
cnn_lstm_sps = steady(cnn_lstm, torch.optim.Adam(cnn_lstm.parameters(), lr=1e-3), seq, labels, eeg_samples)
wall = {'mlp': mlp_sps, 'cnn': cnn_sps[0], 'lstm': lstm_sps[0], 'cnnLstm': cnn_lstm_sps[0]}
cpu = {'mlp': mlp_cpu, 'cnn': cnn_sps[1], 'lstm': lstm_sps[1], 'cnnLstm': cnn_lstm_sps[1]}
print(json.dumps({'wall': wall, 'cpu': cpu}))
