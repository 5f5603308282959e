package dev.glassbox.instrument;

import dev.glassbox.engine.nn.Dense;
import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Losses;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Notebook 4's experiment: how the scale of the initial weights decides whether a deep net's signals and
 * gradients survive. A 10-layer width-20 dense net ({@link SeedModels#deep}) with hidden kernels drawn from
 * N(0, std) sees one example; the study records mean |activation| of every layer and mean |gradient| of every
 * kernel. Small std: activations and gradients shrink layer by layer (vanishing). Large std with tanh or sigmoid:
 * units saturate, their derivatives are 0 in float32, and the gradients of the early layers are exactly zero. With
 * ReLU and std 200: values grow by ~std·√(width/2) per layer (exploding).
 *
 * <p>The objective is either the mean squared error against a target, or the network's scalar output itself
 * (then the gradients are dy/dW, as in the reference fixture {@code deep_tanh.h5}).
 */
public final class DeepNetStudy {
    /** Weight scales of the study. */
    public static final List<Double> STDS = List.of(0.01, 0.1, 1.0, 200.0);
    /** Activations of the study's hidden layers. */
    public static final List<String> ACTIVATIONS = List.of("tanh", "sigmoid", "relu");

    /** What backward starts from. */
    public enum Objective {
        /** The scalar output y: gradients are dy/dW. */
        OUTPUT,
        /** (y − target)², averaged. */
        MSE
    }

    /**
     * One setting's per-layer statistics, index k for dense_{k+1}; {@code objective} is the value backward
     * started from.
     */
    public record Result(String activation, double std, double[] meanAbsGradient, double[] meanAbsActivation,
            double objective) {}

    private DeepNetStudy() {}

    /**
     * Runs one example through {@code model}, backpropagates the objective, and returns mean |dObjective/dkernel|
     * of every Dense layer and mean |output| of every layer, in model order.
     *
     * @param x one example [1, inputs] (not modified)
     * @param target for {@link Objective#MSE}, the target of the output's shape; ignored for OUTPUT
     */
    public static Result run(Model model, Tensor x, Objective objective, Tensor target, String label, double std) {
        Recordings recordings = new Recordings();
        model.parameters().forEach(p -> p.value().zeroGrad());
        Tensor value;
        try (Recorder ignored = Recorder.attach(model, model.layers(), new Recorder.Kinds(true, false, true),
                recordings)) {
            Tensor output = model.forward(x);
            value = objective == Objective.OUTPUT ? output.sum() : Losses.mse(output, target);
            value.backward();
        }
        List<Double> gradients = new ArrayList<>();
        List<Double> activations = new ArrayList<>();
        for (Layer layer : model.layers()) {
            activations.add(meanAbs(Recordings.last(recordings.activations(layer.name()))));
            if (layer instanceof Dense) {
                gradients.add(meanAbs(Recordings.last(recordings.parameterGradients(layer.name() + ".kernel"))));
            }
        }
        return new Result(label, std, toArray(gradients), toArray(activations), value.item());
    }

    /**
     * One setting of the study: {@code SeedModels.deep(activation, RandomNormal(0, std), seed)}, an input
     * x ~ N(0, 1) [1, 20] and, for MSE, a target ~ N(0, 1), both drawn from {@code seed + 1}.
     */
    public static Result run(String activation, double std, long seed, Objective objective) {
        Model model = SeedModels.deep(activation, Initializers.randomNormal(0, (float) std), seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        Tensor x = Tensors.randn(random, 1, SeedModels.DEEP_WIDTH);
        Tensor target = Tensors.randn(random, 1, 1);
        return run(model, x, objective, target, activation, std);
    }

    /** Every (activation, std) of {@link #ACTIVATIONS} × {@link #STDS}, activation-major. */
    public static List<Result> grid(long seed, Objective objective) {
        List<Result> results = new ArrayList<>();
        for (String activation : ACTIVATIONS) {
            for (double std : STDS) {
                results.add(run(activation, std, seed, objective));
            }
        }
        return results;
    }

    private static double meanAbs(Tensor t) {
        double sum = 0;
        for (float v : t.data()) {
            sum += Math.abs(v);
        }
        return sum / t.size();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
