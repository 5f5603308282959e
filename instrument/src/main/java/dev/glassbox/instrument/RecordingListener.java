package dev.glassbox.instrument;

import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.tensor.Tensor;

/**
 * Receives what a {@link Recorder} sees. Every tensor passed in is the engine's live tensor, which the engine
 * does not write again (see {@code Layer}): a listener may keep it as it is, but must not write to it, since the
 * rest of the step still uses it ({@link Recordings} keeps copies, so its tensors can be changed freely). A
 * parameter's value is the exception: the optimizer changes it in place. Every method has an empty default, so a
 * listener implements only what it needs.
 *
 * <p>{@code step} counts forward passes through the model since the recorder was attached, from 0: the backward
 * pass that follows a forward pass belongs to the same step.
 */
public interface RecordingListener {
    /** A layer's output for the current batch (its activation), right after the layer ran. */
    default void onActivation(int step, Layer layer, Tensor output) {}

    /** dL/d(output) of a layer, once the backward pass has reached the layer. */
    default void onOutputGradient(int step, Layer layer, Tensor gradOutput) {}

    /** dL/d(input) of the model (the gradient arriving at the first layer's input: saliency). */
    default void onInputGradient(int step, Tensor gradInput) {}

    /** A parameter's gradient once it is fully accumulated for this backward pass. */
    default void onParameterGradient(int step, Parameter parameter, Tensor gradient) {}
}
