package org.inertia.optim;

import org.inertia.kernels.Backend;

/**
 * AdamW (Loshchilov and Hutter 2019) with PyTorch's semantics ({@code torch.optim.AdamW}): decoupled
 * weight decay w ← w·(1 − lr·wd) before the {@link Adam} update (the gradient is not touched). Default
 * weight decay 0.01.
 */
public final class AdamW extends Adam {

    /**
     * A builder for the hyperparameters with AdamW's defaults: Adam's, but weight decay 0.01.
     *
     * @return a new builder
     */
    public static Builder hyper() {
        return new Builder(0.01);
    }

    /** AdamW with no groups yet, on the default backend ({@code Backends.get()}). */
    public AdamW() {
        this(null);
    }

    /**
     * AdamW with no groups yet.
     *
     * @param backend the backend that runs gradient clipping ({@link #clipGradNorm(double)},
     *                {@link #clipGradValue(double)}); null for the default ({@code Backends.get()})
     */
    public AdamW(Backend backend) {
        super("adamw", backend, true);
    }
}
