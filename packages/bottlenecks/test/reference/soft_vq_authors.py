# Reference gradients for the authors'-code soft VQ (predictedVariance), float64, written from the notebook's formulas
# (soft_prob with exp/sqrt, straight-through decoder input, codebook + beta*commitment), in latentkit's loss convention
# (squared error summed over dimensions, mean over the batch).
import torch
torch.set_default_dtype(torch.float64)
E = torch.tensor([[0., 0.], [1., 0.], [0., 2.]], requires_grad=True)
H = torch.tensor([[0.1, 0.2], [0.9, -0.1], [0.2, 1.5], [0.6, 0.1]], requires_grad=True)
W = torch.tensor([[0.3, -0.2, 0.1], [-0.4, 0.25, 0.5]], requires_grad=True)
b = torch.tensor([-0.3, 0.2, -0.1], requires_grad=True)
G = torch.tensor([[0.3, -1.2], [2.0, 0.5], [-0.7, 0.1], [1.1, -0.4]])
beta = 0.25
z = H
ell = H @ W + b
dist = (z ** 2).sum(1, keepdim=True) - 2 * z @ E.T + (E ** 2).sum(1)
smooth = 1.0 / torch.exp(ell) ** 2
prob = torch.exp(-dist * 0.5 * smooth) / torch.sqrt(smooth)
p = prob / prob.sum(1, keepdim=True)
q = p @ E
codebook = ((q - z.detach()) ** 2).sum(1)
commitment = ((z - q.detach()) ** 2).sum(1)
code = z + (q - z).detach()
loss = (G * code).sum() + codebook.mean() + beta * commitment.mean()
loss.backward()
fmt = lambda t: [[round(v, 12) for v in row] for row in t.tolist()] if t.dim() == 2 else [round(v, 12) for v in t.tolist()]
print('code', fmt(q.detach()))
print('loss', loss.item())
print('dH', fmt(H.grad)); print('dE', fmt(E.grad)); print('dW', fmt(W.grad)); print('db', fmt(b.grad))
print(torch.__version__)
