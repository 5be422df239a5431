package org.inertia.nn.layers;

import java.util.List;
import org.inertia.nn.Tensor;

/** Layers applied in order; children are named "0", "1", … as in PyTorch. */
public final class Sequential extends Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        LayerArgs.present("Sequential", "layers", layers);
        for (int i = 0; i < layers.length; i++) {
            LayerArgs.present("Sequential", "layers[" + i + "]", layers[i]);
        }
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            module(Integer.toString(i), layers[i]);
        }
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Layer l : layers) {
            y = l.forward(y);
        }
        return y;
    }
}
