/**
 * The Rails side, proven end to end: the parley-rails gem's Ruby suites against a real Parley instance
 * ({@code RailsKitIT}), and a brand-new Rails app with the gem, its generator, Puma, Parley and two browsers
 * ({@code RailsAppIT}).
 */
package io.parley.it.rails;
