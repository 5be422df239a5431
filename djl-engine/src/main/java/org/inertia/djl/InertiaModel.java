package org.inertia.djl;

import ai.djl.BaseModel;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A DJL {@link ai.djl.Model} on the Inertia engine: a block built in Java (set with {@code setBlock}) whose
 * parameters DJL saves and loads in its own {@code .params} format. Loading needs the block first: the engine
 * has no serialized model format of its own.
 */
public final class InertiaModel extends BaseModel {

    InertiaModel(String name, Device device) {
        super(name);
        manager = InertiaNDManager.system().newSubManager(device);
        manager.setName("model-" + name);
        dataType = DataType.FLOAT32;
    }

    @Override
    public Trainer newTrainer(TrainingConfig trainingConfig) {
        if (block == null) {
            throw new IllegalStateException("You must set a block for the model before creating a new trainer");
        }
        if (wasLoaded) {
            block.freezeParameters(false,
                    p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR);
        }
        for (Pair<Initializer, Predicate<Parameter>> pair : trainingConfig.getInitializers()) {
            if (pair.getKey() != null && pair.getValue() != null) {
                block.setInitializer(pair.getKey(), pair.getValue());
            }
        }
        return new Trainer(this, trainingConfig);
    }

    @Override
    public void load(InputStream is, Map<String, ?> options) throws IOException, MalformedModelException {
        if (block == null) {
            throw new MalformedModelException("the " + InertiaEngine.ENGINE_NAME + " engine loads parameters only: "
                    + "set the model's block (Model.setBlock) before load(InputStream)");
        }
        wasLoaded = true;
        readParameters(is, options);
    }

    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options)
            throws IOException, MalformedModelException {
        setModelDir(modelPath);
        wasLoaded = true;
        if (prefix == null) {
            prefix = modelName;
        }
        if (block == null) {
            throw new MalformedModelException("the " + InertiaEngine.ENGINE_NAME + " engine loads parameters only: "
                    + "set the model's block (Model.setBlock) before load(" + modelPath + ")");
        }
        if (!Files.exists(modelDir)) {
            throw new IOException("model directory " + modelDir + " does not exist");
        }
        loadBlock(prefix, options);
    }
}
