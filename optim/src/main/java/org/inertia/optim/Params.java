package org.inertia.optim;

import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;

/**
 * One parameter and its gradient buffer: contiguous arrays of equal shape and dtype (F32 or F64). The
 * optimizer reads {@code grad} and updates {@code param} in place; who fills {@code grad} (nn's
 * autograd, an outside framework, a test) does not matter.
 *
 * @param param the parameter values, updated in place by each step; not owned (the caller closes it)
 * @param grad  the gradient buffer of the same shape and dtype, read by each step; not owned
 */
public record Params(NdArray param, NdArray grad) {
    /**
     * Checks the pair.
     *
     * @throws IllegalArgumentException if the arrays are not both F32 or both F64, differ in shape, or
     *                                  either is not contiguous
     */
    public Params {
        Checks.sameFloating("param", param, "grad", grad);
        Checks.sameShape("param", param, "grad", grad);
        if (!param.isContiguous() || !grad.isContiguous()) {
            throw new IllegalArgumentException("param " + param.shape() + " and grad " + grad.shape()
                    + " must be contiguous (fused steps run one pass over flat memory)");
        }
    }
}
