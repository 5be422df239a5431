package org.inertia.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * DJL's recurrent layers (vanilla RNN, GRU, LSTM; stacked, bidirectional, batch-first) composed of the engine's
 * array operations (package-private): each step's gate pre-activations are two {@code linear} calls (Inertia's
 * GEMM), the gates are the engine's activations, and every operation is recorded for autograd like any other.
 * Parameters in DJL's {@code RecurrentBlock} order: per layer, W_ih (G·H, in) and W_hh (G·H, H) of each
 * direction, then b_ih and b_hh of each direction when there are biases; gates in PyTorch's layout (LSTM i, f, g,
 * o; GRU r, z, n).
 */
final class Recurrent {
    enum Cell {
        RNN_TANH(1), RNN_RELU(1), GRU(3), LSTM(4);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    private Recurrent() {
    }

    static NDList run(String op, NDArray inputArr, NDList states, NDList params, boolean hasBiases, int numLayers,
            double dropRate, boolean training, boolean bidirectional, boolean batchFirst, Cell cell) {
        InertiaNDArray input = InertiaNDArray.cast(op, "input", inputArr);
        if (input.getShape().dimension() != 3) {
            throw new IllegalArgumentException(op + ": input must be (" + (batchFirst ? "batch, time" : "time, batch")
                    + ", features), got " + input.getShape());
        }
        int dirs = bidirectional ? 2 : 1;
        int perLayer = hasBiases ? 4 : 2;
        if (params.size() != numLayers * dirs * perLayer) {
            throw new IllegalArgumentException(op + ": expected " + numLayers * dirs * perLayer + " parameters for "
                    + numLayers + " layers, " + dirs + " directions" + (hasBiases ? " with" : " without") + " biases, got "
                    + params.size());
        }
        int expectedStates = cell == Cell.LSTM ? 2 : 1;
        if (states.size() != expectedStates) {
            throw new IllegalArgumentException(op + ": expected " + expectedStates + " state arrays, got "
                    + states.size());
        }
        NDArray h0 = states.get(0);
        NDArray c0 = cell == Cell.LSTM ? states.get(1) : null;
        NDArray x = batchFirst ? input.swapAxes(0, 1) : input; // (T, B, F)
        long steps = x.getShape().get(0);
        NDList hN = new NDList();
        NDList cN = new NDList();
        for (int layer = 0; layer < numLayers; layer++) {
            NDList dirOutputs = new NDList();
            for (int d = 0; d < dirs; d++) {
                // DJL's RecurrentBlock order per layer: the weights of every direction, then their biases
                int base = layer * dirs * perLayer;
                NDArray wIh = params.get(base + 2 * d);
                NDArray wHh = params.get(base + 2 * d + 1);
                NDArray bIh = hasBiases ? params.get(base + 2 * dirs + 2 * d) : null;
                NDArray bHh = hasBiases ? params.get(base + 2 * dirs + 2 * d + 1) : null;
                int si = layer * dirs + d;
                NDArray h = h0.get(si);
                NDArray c = c0 == null ? null : c0.get(si);
                NDArray[] outs = new NDArray[(int) steps];
                for (long s = 0; s < steps; s++) {
                    long t = d == 0 ? s : steps - 1 - s;
                    NDArray xt = x.get(t);
                    NDArray gi = xt.getNDArrayInternal().linear(xt, wIh, bIh).singletonOrThrow();
                    NDArray gh = h.getNDArrayInternal().linear(h, wHh, bHh).singletonOrThrow();
                    switch (cell) {
                        case RNN_TANH -> h = gi.add(gh).tanh();
                        case RNN_RELU -> h = gi.add(gh).getNDArrayInternal().relu();
                        case LSTM -> {
                            NDList g = gi.add(gh).split(4, 1);
                            NDArray i = g.get(0).getNDArrayInternal().sigmoid();
                            NDArray f = g.get(1).getNDArrayInternal().sigmoid();
                            NDArray gg = g.get(2).tanh();
                            NDArray o = g.get(3).getNDArrayInternal().sigmoid();
                            c = f.mul(c).add(i.mul(gg));
                            h = o.mul(c.tanh());
                        }
                        case GRU -> {
                            NDList a = gi.split(3, 1);
                            NDList b = gh.split(3, 1);
                            NDArray r = a.get(0).add(b.get(0)).getNDArrayInternal().sigmoid();
                            NDArray z = a.get(1).add(b.get(1)).getNDArrayInternal().sigmoid();
                            NDArray n = a.get(2).add(r.mul(b.get(2))).tanh();
                            h = z.neg().add(1).mul(n).add(z.mul(h));
                        }
                        default -> throw new IllegalStateException(cell.toString());
                    }
                    outs[(int) t] = h;
                }
                hN.add(h);
                if (c != null) {
                    cN.add(c);
                }
                dirOutputs.add(steps == 0 ? x.getManager().zeros(new Shape(0, h.getShape().get(0),
                        h.getShape().get(1)), h.getDataType()) : NDArrays.stack(new NDList(outs), 0));
            }
            x = dirs == 1 ? dirOutputs.get(0) : NDArrays.concat(dirOutputs, 2);
            if (training && dropRate > 0 && layer < numLayers - 1) {
                x = x.getNDArrayInternal().dropout(x, (float) dropRate, true).singletonOrThrow();
            }
        }
        NDArray output = batchFirst ? x.swapAxes(0, 1) : x;
        NDList result = new NDList(output, NDArrays.stack(hN, 0));
        if (cell == Cell.LSTM) {
            result.add(NDArrays.stack(cN, 0));
        }
        return result;
    }

    /** Local stand-ins for ai.djl.ndarray.NDArrays (stack and concat of NDLists). */
    private static final class NDArrays {
        static NDArray stack(NDList list, int axis) {
            return list.get(0).getNDArrayInternal().stack(list.subNDList(1), axis);
        }

        static NDArray concat(NDList list, int axis) {
            return list.get(0).getNDArrayInternal().concat(list.subNDList(1), axis);
        }
    }
}
