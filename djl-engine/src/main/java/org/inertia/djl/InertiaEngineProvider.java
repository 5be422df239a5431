package org.inertia.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;

/** Registers the {@link InertiaEngine} with DJL ({@code META-INF/services/ai.djl.engine.EngineProvider}). */
public final class InertiaEngineProvider implements EngineProvider {
    private static volatile Engine engine;

    /** Creates the provider (DJL's service loader calls this). */
    public InertiaEngineProvider() {
    }

    @Override
    public String getEngineName() {
        return InertiaEngine.ENGINE_NAME;
    }

    @Override
    public int getEngineRank() {
        return InertiaEngine.RANK;
    }

    @Override
    public Engine getEngine() {
        if (engine == null) {
            synchronized (InertiaEngineProvider.class) {
                if (engine == null) {
                    engine = new InertiaEngine();
                }
            }
        }
        return engine;
    }
}
