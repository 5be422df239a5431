package org.inertia.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SymbolBlock;
import ai.djl.training.GradientCollector;
import org.inertia.kernels.Backends;

/**
 * The DJL {@link Engine} named {@value #ENGINE_NAME}: arrays live in Inertia's off-heap storage, heavy
 * operations run on Inertia's kernels (GEMM, elementwise, reductions, convolution, layers, LSTM gates), gradients
 * come from Inertia's reverse-mode autograd, and DJL's optimizers update parameters through Inertia's fused step
 * kernels. CPU only. An operation the engine does not implement throws {@link UnsupportedOperationException}
 * naming the operation and the engine.
 */
public final class InertiaEngine extends Engine {
    /** The engine's name, as {@code Engine.getEngine(name)} and {@code DJL_DEFAULT_ENGINE} take it. */
    public static final String ENGINE_NAME = "Inertia";
    /**
     * DJL's engine rank (lower wins the default): after the native engines (PyTorch is 2), before DJL's built-in
     * RPC engine (15), so Inertia is the default engine when it is the only real engine on the class path.
     */
    static final int RANK = 10;

    InertiaEngine() {
    }

    /** The exception for an operation this engine does not implement, naming the operation and the engine. */
    static UnsupportedOperationException unsupported(String op) {
        return new UnsupportedOperationException(op + " is not supported by the " + ENGINE_NAME + " engine");
    }

    @Override
    public Engine getAlternativeEngine() {
        return null;
    }

    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public String getVersion() {
        String v = InertiaEngine.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public boolean hasCapability(String capability) {
        return false; // no CUDA, cuDNN, MKL or MKLDNN
    }

    @Override
    public SymbolBlock newSymbolBlock(NDManager manager) {
        throw unsupported("newSymbolBlock (loading a traced model)");
    }

    @Override
    public Model newModel(String name, Device device) {
        return new InertiaModel(name, checkDevice(device));
    }

    @Override
    public NDManager newBaseManager() {
        return InertiaNDManager.system().newSubManager();
    }

    @Override
    public NDManager newBaseManager(Device device) {
        return InertiaNDManager.system().newSubManager(device);
    }

    @Override
    public GradientCollector newGradientCollector() {
        return new InertiaGradientCollector();
    }

    @Override
    public void setRandomSeed(int seed) {
        super.setRandomSeed(seed);
        InertiaNDManager.seed(seed);
    }

    @Override
    public String toString() {
        return ENGINE_NAME + " " + getVersion() + " (backend " + Backends.get().name() + ")";
    }

    static Device checkDevice(Device device) {
        if (device != null && !device.isGpu() && Device.Type.CPU.equals(device.getDeviceType())) {
            return Device.cpu();
        }
        if (device == null) {
            return Device.cpu();
        }
        throw new UnsupportedOperationException("device " + device + " is not supported by the " + ENGINE_NAME
                + " engine (CPU only)");
    }
}
