/**
 * Checks of the Kubernetes packaging in {@code k8s/}: every overlay is rendered with
 * {@code kubectl kustomize} and the rendered objects are read back to verify what must agree
 * between them (ports, probes, drain timing, secrets, ingress, network policy).
 *
 * <p>These are plain unit tests (no cluster): they need the {@code kubectl} binary only.
 */
package io.parley.it.k8s;
