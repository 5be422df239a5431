package org.inertia.nn.rnn;

import org.inertia.nn.autograd.Tensor;

/**
 * The recurrent state of one cell: hidden h [B, H], and where the cell has them the LSTM memory c
 * [B, H], the momentum v [B, N] and the second moment m [B, N] (N = the gate width, 4H for LSTMs).
 * A null v or m reads as zero, the value at sequence start. {@code step} counts the steps taken in
 * this sequence (SRLSTM's restart schedule reads it).
 *
 * @param h    the hidden state [B, H]
 * @param c    the LSTM memory [B, H], or null for cells without one
 * @param v    the momentum [B, N], or null (zero)
 * @param m    the second moment [B, N], or null (zero)
 * @param step the number of steps taken in this sequence, ≥ 0
 */
public record CellState(Tensor h, Tensor c, Tensor v, Tensor m, int step) {

    /**
     * Copies of the state's tensors that need no gradient and belong to no scope: the state carried
     * into the next truncated-BPTT segment, cut from the graph. The caller closes it ({@link #close}).
     *
     * @return a new state with copied tensors (nulls stay null) and the same step count; the caller's to close
     */
    public CellState detachedCopy() {
        return new CellState(copy(h), copy(c), copy(v), copy(m), step);
    }

    /** Closes every tensor of this state (for {@link #detachedCopy} results). */
    public void close() {
        for (Tensor t : new Tensor[] {h, c, v, m}) {
            if (t != null) {
                t.close();
            }
        }
    }

    private static Tensor copy(Tensor t) {
        return t == null ? null : Tensor.constant(t.data().copy());
    }
}
