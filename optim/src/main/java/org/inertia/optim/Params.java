package org.inertia.optim;

import org.inertia.kernels.Checks;
import org.inertia.kernels.NdArray;

/**
 * One parameter and its gradient buffer: contiguous arrays of equal shape and dtype (F32 or F64). The
 * optimizer reads {@code grad} and updates {@code param} in place; who fills {@code grad} (nn's
 * autograd, an outside framework, a test) does not matter.
 */
public record Params(NdArray param, NdArray grad) {
    public Params {
        Checks.sameFloating("param", param, "grad", grad);
        Checks.sameShape("param", param, "grad", grad);
        if (!param.isContiguous() || !grad.isContiguous()) {
            throw new IllegalArgumentException("param " + param.shape() + " and grad " + grad.shape()
                    + " must be contiguous (fused steps run one pass over flat memory)");
        }
    }
}
