/**
 * Optimizers over optim's own fused step kernels ({@link org.inertia.optim.kernel.OptimizerSteps}): one pass over
 * memory per step and parameter buffer, and with {@link org.inertia.optim.FlatParameters} one buffer (one call) for a
 * whole model. The momentum methods are presets over the composable parts of {@code org.inertia.optim.momentum}.
 *
 * <table>
 * <caption>Methods, their state and their source</caption>
 * <tr><th>class</th><th>state per parameter</th><th>semantics</th></tr>
 * <tr><td>{@link org.inertia.optim.Sgd}</td><td>momentum_buffer (if μ ≠ 0)</td><td>torch.optim.SGD (weight decay, dampening, Nesterov, maximize)</td></tr>
 * <tr><td>{@link org.inertia.optim.HeavyBall}</td><td>velocity</td><td>Polyak, classic form v ← βv − αg, w ← w + v</td></tr>
 * <tr><td>{@link org.inertia.optim.Nesterov}</td><td>velocity</td><td>Sutskever et al. 2013, look-ahead parametrisation</td></tr>
 * <tr><td>{@link org.inertia.optim.Nag}</td><td>previous</td><td>Nesterov, μ_k = (k−1)/(k+2), position-difference form</td></tr>
 * <tr><td>{@link org.inertia.optim.AdaptiveRestartNag}</td><td>previous</td><td>O'Donoghue–Candès function-value restart, tested at w (the lecture) or at the gradient-step point</td></tr>
 * <tr><td>{@link org.inertia.optim.ScheduledRestartSgd}</td><td>previous</td><td>SRSGD (Wang et al. 2020), restart frequency per lr stage, period F as in the lectures (srsgd.py's F − 1 as an option)</td></tr>
 * <tr><td>{@link org.inertia.optim.SgdEarlyMomentum}</td><td>velocity</td><td>SGDEM: momentum for the first E steps (overall or per epoch)</td></tr>
 * <tr><td>{@link org.inertia.optim.AggMo}</td><td>velocity0 … velocity(K−1)</td><td>Lucas et al. 2019</td></tr>
 * <tr><td>{@link org.inertia.optim.AdaGrad}</td><td>sum</td><td>torch.optim.Adagrad</td></tr>
 * <tr><td>{@link org.inertia.optim.RmsProp}</td><td>square_avg [, grad_avg] [, momentum_buffer]</td><td>torch.optim.RMSprop</td></tr>
 * <tr><td>{@link org.inertia.optim.Adam}, {@link org.inertia.optim.AdamW}</td><td>exp_avg, exp_avg_sq [, max_exp_avg_sq]</td><td>torch.optim.Adam / AdamW</td></tr>
 * <tr><td>{@link org.inertia.optim.Rprop}</td><td>prev, step_size</td><td>torch.optim.Rprop</td></tr>
 * <tr><td>{@link org.inertia.optim.Sgld}, {@link org.inertia.optim.Sghmc}</td><td>—, momentum [, grad_mean, grad_sq]</td><td>Langevin samplers with counter-based noise; SGHMC with an optional mini-batch noise correction (Chen et al. 2014)</td></tr>
 * </table>
 *
 * <p>Schedules ({@link org.inertia.optim.Schedule}) are plain step → value functions for lr and
 * momentum; {@link org.inertia.optim.HeavyBallTuning} tunes heavy ball for quadratics. Nothing here
 * depends on the nn module: any code that owns (param, grad) buffers can drive an optimizer.
 */
package org.inertia.optim;
