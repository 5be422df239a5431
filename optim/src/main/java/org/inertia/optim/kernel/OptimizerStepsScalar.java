package org.inertia.optim.kernel;

import org.inertia.kernels.CounterNormal;
import org.inertia.kernels.NdArray;

/**
 * The fused optimizer steps written as the textbook / PyTorch per-element loops in double precision,
 * over contiguous arrays of any dtype (values are read as double and rounded once when stored). This is
 * the oracle for {@code simd.OptimizerStepsSimd}, the float64 path, and the float32 path when SIMD is
 * off or the vector module is missing. Equations and sources: each {@link StepHyper} record.
 */
public final class OptimizerStepsScalar implements OptimizerStepsSupport {
    /** The one instance (stateless). */
    public static final OptimizerStepsScalar INSTANCE = new OptimizerStepsScalar();

    private OptimizerStepsScalar() {
    }

    private static double get(NdArray a, long i) {
        return a.getAtOffset(a.offset() + i);
    }

    private static void set(NdArray a, long i, double v) {
        a.setAtOffset(a.offset() + i, v);
    }

    /** PyTorch SGD; {@code buf} may be null when momentum is 0. */
    @Override
    public void sgd(StepHyper.Sgd h, NdArray w, NdArray g, SgdState s, long start, int n) {
        NdArray buf = s.momentumBuffer();
        double sign = h.maximize() ? -1 : 1;
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + h.weightDecay() * wi;
            if (h.hasMomentum()) {
                double b = h.firstStep() ? d : h.momentum() * get(buf, i) + (1 - h.dampening()) * d;
                set(buf, i, b);
                d = h.nesterov() ? d + h.momentum() * b : b;
            }
            set(w, i, wi - h.lr() * d);
        }
    }

    /** Heavy ball, classic form. */
    @Override
    public void heavyBall(StepHyper.HeavyBall h, NdArray w, NdArray g, VelocityState s, long start, int n) {
        NdArray v = s.velocity();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double vi = h.beta() * get(v, i) - h.lr() * (get(g, i) + h.weightDecay() * wi);
            set(v, i, vi);
            set(w, i, wi + vi);
        }
    }

    /** Sutskever Nesterov on the look-ahead parameter θ. */
    @Override
    public void nesterov(StepHyper.Nesterov h, NdArray theta, NdArray g, VelocityState s, long start, int n) {
        NdArray v = s.velocity();
        for (long i = start; i < start + n; i++) {
            double t = get(theta, i);
            double vOld = get(v, i);
            double vNew = h.mu() * vOld - h.lr() * (get(g, i) + h.weightDecay() * t);
            set(v, i, vNew);
            set(theta, i, t - h.mu() * vOld + (1 + h.muNext()) * vNew);
        }
    }

    /** NAG, position-difference form; {@code prev} holds y_{k−1}. */
    @Override
    public void nag(StepHyper.Nag h, NdArray w, NdArray g, NagState s, long start, int n) {
        NdArray prev = s.previous();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double y = wi - h.lr() * (get(g, i) + h.weightDecay() * wi);
            set(w, i, y + h.mu() * (y - get(prev, i)));
            set(prev, i, y);
        }
    }

    /** AggMo over K velocity buffers. */
    @Override
    public void aggmo(StepHyper.AggMo h, NdArray w, NdArray g, AggMoState s, long start, int n) {
        NdArray[] v = s.velocities().toArray(NdArray[]::new);
        double[] betas = h.betas();
        int k = betas.length;
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = get(g, i) + h.weightDecay() * wi;
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double vj = betas[j] * get(v[j], i) + d;
                set(v[j], i, vj);
                sum += vj;
            }
            set(w, i, wi - h.lr() / k * sum);
        }
    }

    /** PyTorch Adagrad. */
    @Override
    public void adagrad(StepHyper.AdaGrad h, NdArray w, NdArray g, AdaGradState st, long start, int n) {
        NdArray sum = st.sum();
        double sign = h.maximize() ? -1 : 1;
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + h.weightDecay() * wi;
            double s = get(sum, i) + d * d;
            set(sum, i, s);
            set(w, i, wi - h.clr() * d / (Math.sqrt(s) + h.eps()));
        }
    }

    /** PyTorch RMSprop; {@code gradAvg} is null unless centered, {@code buf} null unless momentum > 0. */
    @Override
    public void rmsprop(StepHyper.RmsProp h, NdArray w, NdArray g, RmsPropState st, long start, int n) {
        NdArray sq = st.squareAvg();
        NdArray gradAvg = st.gradAvg();
        NdArray buf = st.momentumBuffer();
        double sign = h.maximize() ? -1 : 1;
        double a = h.alpha();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + h.weightDecay() * wi;
            double s = a * get(sq, i) + (1 - a) * d * d;
            set(sq, i, s);
            double denom;
            if (h.centered()) {
                double ga = a * get(gradAvg, i) + (1 - a) * d;
                set(gradAvg, i, ga);
                denom = Math.sqrt(s - ga * ga) + h.eps();
            } else {
                denom = Math.sqrt(s) + h.eps();
            }
            if (h.momentum() > 0) {
                double b = h.momentum() * get(buf, i) + d / denom;
                set(buf, i, b);
                set(w, i, wi - h.lr() * b);
            } else {
                set(w, i, wi - h.lr() * d / denom);
            }
        }
    }

    /** PyTorch Adam / AdamW; {@code vmax} is null unless AMSGrad. */
    @Override
    public void adam(StepHyper.Adam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        NdArray vmax = s.maxExpAvgSq();
        double sign = h.maximize() ? -1 : 1;
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i);
            if (h.decoupled()) {
                wi *= 1 - h.lr() * h.weightDecay();
            } else {
                d += h.weightDecay() * wi;
            }
            double mi = h.beta1() * get(m, i) + (1 - h.beta1()) * d;
            double vi = h.beta2() * get(v, i) + (1 - h.beta2()) * d * d;
            set(m, i, mi);
            set(v, i, vi);
            if (h.amsgrad()) {
                double prev = get(vmax, i);
                vi = Double.isNaN(vi) || Double.isNaN(prev) ? Double.NaN : Math.max(prev, vi);
                set(vmax, i, vi);
            }
            set(w, i, wi - h.stepSize() * mi / (Math.sqrt(vi) * h.invBc2Sqrt() + h.eps()));
        }
    }

    /** PyTorch Rprop; {@code prev} starts at 0 and {@code step} at lr. */
    @Override
    public void rprop(StepHyper.Rprop h, NdArray w, NdArray g, RpropState st, long start, int n) {
        NdArray prev = st.prev();
        NdArray step = st.stepSize();
        double sign = h.maximize() ? -1 : 1;
        for (long i = start; i < start + n; i++) {
            double d = sign * get(g, i);
            double p = d * get(prev, i);
            double f = p > 0 ? h.etaPlus() : p < 0 ? h.etaMinus() : p == 0 ? 1 : Double.NaN;
            double s = Math.min(Math.max(get(step, i) * f, h.stepMin()), h.stepMax());
            set(step, i, s);
            if (p < 0) {
                d = 0;
            }
            set(w, i, get(w, i) - Math.signum(d) * s);
            set(prev, i, d);
        }
    }

    /** SGLD; noise index = element index. */
    @Override
    public void sgld(StepHyper.Sgld h, NdArray w, NdArray g, long start, int n) {
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = get(g, i) + h.weightDecay() * wi;
            set(w, i, wi - h.lr() * d + h.noiseStd() * CounterNormal.gaussian(key, i));
        }
    }

    /** SGHMC; {@code p} is the momentum (starts at 0). */
    @Override
    public void sghmc(StepHyper.Sghmc h, NdArray w, NdArray g, SghmcState s, long start, int n) {
        NdArray p = s.momentum();
        long key = CounterNormal.streamKey(h.seed(), h.step());
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = get(g, i) + h.weightDecay() * wi;
            double pi = get(p, i);
            pi = pi - h.friction() * h.lr() * pi - h.lr() * h.eta() * d + h.noiseStd() * CounterNormal.gaussian(key, i);
            set(p, i, pi);
            set(w, i, wi + h.lr() * pi);
        }
    }
    /** PyTorch NAdam; D = √v·invBc2Sqrt + eps. */
    @Override
    public void nadam(StepHyper.NAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        double sign = h.maximize() ? -1 : 1;
        double decay = h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1;
        double l2 = h.decoupled() ? 0 : h.weightDecay();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + l2 * wi;
            wi *= decay;
            double mi = h.beta1() * get(m, i) + (1 - h.beta1()) * d;
            double vi = h.beta2() * get(v, i) + (1 - h.beta2()) * d * d;
            set(m, i, mi);
            set(v, i, vi);
            double den = Math.sqrt(vi) * h.invBc2Sqrt() + h.eps();
            set(w, i, wi - h.gradCoef() * d / den - h.avgCoef() * mi / den);
        }
    }

    /** PyTorch RAdam; the adaptive denominator only when rectified. */
    @Override
    public void radam(StepHyper.RAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        double sign = h.maximize() ? -1 : 1;
        double decay = h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1;
        double l2 = h.decoupled() ? 0 : h.weightDecay();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + l2 * wi;
            wi *= decay;
            double mi = h.beta1() * get(m, i) + (1 - h.beta1()) * d;
            double vi = h.beta2() * get(v, i) + (1 - h.beta2()) * d * d;
            set(m, i, mi);
            set(v, i, vi);
            double u = h.rectified() ? mi / (Math.sqrt(vi) + h.eps()) : mi;
            set(w, i, wi - h.stepSize() * u);
        }
    }

    /** PyTorch Adamax; u ← max(β2 u, |d| + eps) with NaN propagated. */
    @Override
    public void adamax(StepHyper.Adamax h, NdArray w, NdArray g, AdamaxState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray u = s.expInf();
        double sign = h.maximize() ? -1 : 1;
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = sign * get(g, i) + h.weightDecay() * wi;
            double mi = h.beta1() * get(m, i) + (1 - h.beta1()) * d;
            double ui = Math.max(h.beta2() * get(u, i), Math.abs(d) + h.eps());
            set(m, i, mi);
            set(u, i, ui);
            set(w, i, wi - h.stepSize() * mi / ui);
        }
    }

    /** Lion; sign(0) = 0. */
    @Override
    public void lion(StepHyper.Lion h, NdArray w, NdArray g, LionState s, long start, int n) {
        NdArray m = s.expAvg();
        double decay = 1 - h.lr() * h.weightDecay();
        for (long i = start; i < start + n; i++) {
            double gi = get(g, i);
            double mi = get(m, i);
            double c = h.beta1() * mi + (1 - h.beta1()) * gi;
            set(w, i, decay * get(w, i) - h.lr() * Math.signum(c));
            set(m, i, h.beta2() * mi + (1 - h.beta2()) * gi);
        }
    }

    /** QHM; the buffer starts at 0. */
    @Override
    public void qhm(StepHyper.Qhm h, NdArray w, NdArray g, SgdState s, long start, int n) {
        NdArray b = s.momentumBuffer();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = get(g, i) + h.weightDecay() * wi;
            double bi = h.beta() * get(b, i) + (1 - h.beta()) * d;
            set(b, i, bi);
            set(w, i, wi - h.lr() * ((1 - h.nu()) * d + h.nu() * bi));
        }
    }

    /** QHAdam with qhoptim's bias-corrected averages. */
    @Override
    public void qhadam(StepHyper.QhAdam h, NdArray w, NdArray g, AdamState s, long start, int n) {
        NdArray m = s.expAvg();
        NdArray v = s.expAvgSq();
        double decay = h.decoupled() ? 1 - h.lr() * h.weightDecay() : 1;
        double l2 = h.decoupled() ? 0 : h.weightDecay();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double d = get(g, i) + l2 * wi;
            wi *= decay;
            double d2 = d * d;
            double mi = h.beta1Adj() * get(m, i) + (1 - h.beta1Adj()) * d;
            double vi = h.beta2Adj() * get(v, i) + (1 - h.beta2Adj()) * d2;
            set(m, i, mi);
            set(v, i, vi);
            double num = h.nu1() * mi + (1 - h.nu1()) * d;
            double den = Math.sqrt(h.nu2() * vi + (1 - h.nu2()) * d2) + h.eps();
            set(w, i, wi - h.lr() * num / den);
        }
    }

    /** AdEMAMix (decay inside the update, as the reference code). */
    @Override
    public void ademamix(StepHyper.AdEMAMix h, NdArray w, NdArray g, AdEMAMixState s, long start, int n) {
        NdArray m1 = s.expAvgFast();
        NdArray m2 = s.expAvgSlow();
        NdArray v = s.expAvgSq();
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            double gi = get(g, i);
            double a = h.beta1() * get(m1, i) + (1 - h.beta1()) * gi;
            double b = h.beta3() * get(m2, i) + (1 - h.beta3()) * gi;
            double vi = h.beta2() * get(v, i) + (1 - h.beta2()) * gi * gi;
            set(m1, i, a);
            set(m2, i, b);
            set(v, i, vi);
            double den = Math.sqrt(vi) * h.invBc2Sqrt() + h.eps();
            set(w, i, wi - h.lr() * ((a * h.invBc1() + h.alpha() * b) / den + h.weightDecay() * wi));
        }
    }

    /** Schedule-free SGD on y, z. */
    @Override
    public void scheduleFreeSgd(StepHyper.ScheduleFreeSgd h, NdArray y, NdArray g, ScheduleFreeState s, long start,
                                int n) {
        NdArray z = s.z();
        double c = h.ckp1();
        double yc = h.lr() * (h.momentum() * (1 - c) - 1);
        for (long i = start; i < start + n; i++) {
            double yi = get(y, i);
            double zi = get(z, i);
            double d = get(g, i) + h.weightDecay() * yi;
            set(y, i, yi + c * (zi - yi) + yc * d);
            set(z, i, zi - h.lr() * d);
        }
    }

    /** Schedule-free AdamW on y, z, v. */
    @Override
    public void scheduleFreeAdamW(StepHyper.ScheduleFreeAdamW h, NdArray y, NdArray g, ScheduleFreeState s,
                                  long start, int n) {
        NdArray z = s.z();
        NdArray v = s.expAvgSq();
        double c = h.ckp1();
        double yc = h.lr() * (h.beta1() * (1 - c) - 1);
        for (long i = start; i < start + n; i++) {
            double yi = get(y, i);
            double zi = get(z, i);
            double gi = get(g, i);
            double vi = h.beta2() * get(v, i) + (1 - h.beta2()) * gi * gi;
            set(v, i, vi);
            double u = gi / (Math.sqrt(vi) * h.invBc2Sqrt() + h.eps()) + h.weightDecay() * yi;
            set(y, i, yi + c * (zi - yi) + yc * u);
            set(z, i, zi - h.lr() * u);
        }
    }

    /** w ← w + t·(z − w). */
    @Override
    public void lerp(NdArray w, NdArray z, double t, long start, int n) {
        for (long i = start; i < start + n; i++) {
            double wi = get(w, i);
            set(w, i, wi + t * (get(z, i) - wi));
        }
    }
}
