/** JMH benchmarks of the kernels, the optimizer steps and the models ({@code org.inertia.bench.jmh}). */
module org.inertia.bench {
    requires org.inertia.kernels;
    requires org.inertia.nativebindings;
    requires org.inertia.optim;
    requires org.inertia.nn;
    requires jmh.core;
}
