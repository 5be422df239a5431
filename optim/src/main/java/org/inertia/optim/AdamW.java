package org.inertia.optim;

import org.inertia.kernels.Backend;

/**
 * AdamW (Loshchilov and Hutter 2019) with PyTorch's semantics ({@code torch.optim.AdamW}): decoupled
 * weight decay w ← w·(1 − lr·wd) before the {@link Adam} update (the gradient is not touched). Default
 * weight decay 0.01.
 */
public final class AdamW extends Adam {

    /** AdamW's defaults (weight decay 0.01). */
    public static Builder hyper() {
        return new Builder(0.01);
    }

    public AdamW() {
        this(null);
    }

    public AdamW(Backend backend) {
        super("adamw", backend, true);
    }
}
