# Reference numbers for spec/nn/tensor/*.spec.ts, made with PyTorch 1.13 in float64:
#   /usr/bin/python3 spec/nn/tensor/pytorch-reference.py > spec/nn/tensor/pytorch-reference.json
# Every tensor is det(shape, salt): element i is sin(1.3 * (i + 1) + 0.7 * salt) + 0.25, the
# same formula as weights() in spec/helpers/tensor-gradcheck.ts. Each case records the output,
# and the gradients of loss = sum(det(out.shape, 99) * out) w.r.t. the input and parameters.
import json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

def det(shape, salt=0, scale=1.0):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([(math.sin(1.3 * (i + 1) + 0.7 * salt) + 0.25) * scale for i in range(n)]).reshape(shape)

def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]

def case(module, x, params=None):
    if params:
        with torch.no_grad():
            for name, value in params.items():
                dict(module.named_parameters())[name].copy_(value)
    x = x.clone().requires_grad_(x.is_floating_point())
    out = module(x)
    loss = (det(out.shape, 99) * out).sum()
    loss.backward()
    result = {'out': flat(out), 'shape': list(out.shape)}
    if x.requires_grad:
        result['x.grad'] = flat(x.grad)
    for name, p in module.named_parameters():
        result[name + '.grad'] = flat(p.grad)
    return result

ref = {}
ref['linear'] = case(nn.Linear(3, 2), det([4, 3], 0), {'weight': det([2, 3], 1), 'bias': det([2], 2)})
ref['conv_groups'] = case(
    nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2),
    det([2, 4, 5, 6], 0), {'weight': det([6, 2, 3, 2], 1), 'bias': det([6], 2)})
ref['conv_same_depthwise'] = case(
    nn.Conv2d(3, 3, 3, padding='same', dilation=2, groups=3, bias=False),
    det([1, 3, 6, 5], 0), {'weight': det([3, 1, 3, 3], 1)})
ref['maxpool'] = case(nn.MaxPool2d(3, stride=2, padding=1), det([2, 3, 5, 5], 0))
ref['avgpool'] = case(nn.AvgPool2d((2, 3), stride=(1, 2), padding=(1, 1)), det([1, 2, 4, 5], 0))
ref['flatten'] = case(nn.Flatten(), det([2, 3, 2], 0))
x7 = det([9], 0, 3.0)
ref['relu'] = case(nn.ReLU(), x7)
ref['tanh'] = case(nn.Tanh(), x7)
ref['sigmoid'] = case(nn.Sigmoid(), x7)
ref['leaky_relu'] = case(nn.LeakyReLU(0.2), x7)
ref['gelu'] = case(nn.GELU(), x7)
ref['gelu_tanh'] = case(nn.GELU(approximate='tanh'), x7)
ref['erf'] = {'out': flat(torch.erf(det([9], 0, 2.5)))}
ref['layernorm'] = case(nn.LayerNorm([3, 4]), det([2, 3, 4], 0), {'weight': det([3, 4], 1), 'bias': det([3, 4], 2)})

emb = nn.Embedding(5, 3)
with torch.no_grad():
    emb.weight.copy_(det([5, 3], 1))
out = emb(torch.tensor([[1, 4], [4, 0]]))
(det(out.shape, 99) * out).sum().backward()
ref['embedding'] = {'out': flat(out), 'shape': list(out.shape), 'weight.grad': flat(emb.weight.grad)}

def batchnorm(bn, shape):
    with torch.no_grad():
        bn.weight.copy_(det([3], 1))
        bn.bias.copy_(det([3], 2))
    first = case(bn, det(shape, 0))
    bn.zero_grad()
    second = case(bn, det(shape, 5, 2.0))
    stats = {'running_mean': flat(bn.running_mean), 'running_var': flat(bn.running_var),
             'num_batches_tracked': int(bn.num_batches_tracked)}
    bn.eval()
    bn.zero_grad()
    evaluated = case(bn, det(shape, 7))
    return {'train1': first, 'train2': second, 'stats': stats, 'eval': evaluated}

ref['batchnorm2d'] = batchnorm(nn.BatchNorm2d(3), [4, 3, 2, 3])
ref['batchnorm1d'] = batchnorm(nn.BatchNorm1d(3), [5, 3])
ref['batchnorm1d_3d'] = batchnorm(nn.BatchNorm1d(3), [4, 3, 2])

def loss_case(fn, x, *rest):
    out = {}
    for reduction in ['mean', 'sum', 'none']:
        xi = x.clone().requires_grad_()
        value = fn(xi, *rest, reduction=reduction)
        (value * det(value.shape, 99)).sum().backward()
        out[reduction] = {'out': flat(value), 'x.grad': flat(xi.grad)}
    return out

logits = det([4, 5], 0, 2.0)
labels = torch.tensor([3, 0, 4, 1])
ref['cross_entropy'] = loss_case(F.cross_entropy, logits, labels)
ref['cross_entropy_smooth'] = loss_case(lambda a, b, reduction: F.cross_entropy(a, b, reduction=reduction, label_smoothing=0.1), logits, labels)
ref['nll'] = loss_case(F.nll_loss, F.log_softmax(logits, 1).detach(), labels)
ref['mse'] = loss_case(F.mse_loss, det([3, 4], 0), det([3, 4], 3))
ref['l1'] = loss_case(F.l1_loss, det([3, 4], 0), det([3, 4], 3))
ref['bce'] = loss_case(F.binary_cross_entropy_with_logits, det([3, 4], 0, 4.0), torch.sigmoid(det([3, 4], 3)))
print(json.dumps(ref, indent=None))
