/**
 * t-SNE: embeds points in 2-D or 3-D so that neighbours stay neighbours.
 *
 * <p>Start at {@link dev.glassbox.tsne.TSne#run}; settings are a {@link dev.glassbox.tsne.TSneConfig}. A run
 * builds the input affinities ({@link dev.glassbox.tsne.Affinities}, nearest neighbours by
 * {@link dev.glassbox.tsne.VpTree}), starts from a PCA projection ({@link dev.glassbox.tsne.Pca}) and follows
 * the gradient of KL(P‖Q), computed exactly, by Barnes-Hut over a quadtree/octree, or by FFT interpolation.
 * {@link dev.glassbox.tsne.Metrics} scores any embedding. Work is split over threads by
 * {@link dev.glassbox.tsne.Parallel} so that results do not depend on the thread count.
 */
package dev.glassbox.tsne;
