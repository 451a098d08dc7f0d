package io.parley.chat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rule of README "Architecture", checked on the compiled service (tests excluded). Dependencies point
 * one way: the composition root ({@code io.parley.chat}) → the edges ({@code connection}, {@code api}, {@code dev},
 * none of which knows another) → the core ({@code core}, {@code room}) → the ports and their adapters
 * ({@code broker}, {@code presence}, {@code outbox}, {@code auth.revocation}, {@code signing.replay}, {@code redis})
 * → the pure parts ({@code protocol}, {@code model}, {@code config}, {@code auth}, {@code signing}). {@code observe}
 * (the metrics facade and logging) may be used from anywhere and uses only the pure parts. An edge may use a port's
 * interface directly (the server API reads dead letters and revocations) but never an implementation: the Redis and
 * memory adapters are named only by the composition root and by each other.
 */
@AnalyzeClasses(packages = "io.parley.chat", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "io.parley.chat";

    @ArchTest
    static final ArchRule dependenciesPointFromTheEdgesThroughTheCoreToThePorts = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Composition").definedBy(ROOT)
            .layer("Connection").definedBy(ROOT + ".connection..")
            .layer("Api").definedBy(ROOT + ".api..")
            .layer("Dev").definedBy(ROOT + ".dev..")
            .layer("Core").definedBy(ROOT + ".core..", ROOT + ".room..")
            .layer("Ports").definedBy(ROOT + ".broker..", ROOT + ".presence..", ROOT + ".outbox..",
                    ROOT + ".auth.revocation..", ROOT + ".signing.replay..", ROOT + ".redis..")
            .layer("Observe").definedBy(ROOT + ".observe..")
            .layer("Pure").definedBy(ROOT + ".protocol..", ROOT + ".model..", ROOT + ".config..", ROOT + ".auth",
                    ROOT + ".signing")
            .whereLayer("Composition").mayNotBeAccessedByAnyLayer()
            .whereLayer("Connection").mayOnlyBeAccessedByLayers("Composition")
            .whereLayer("Api").mayOnlyBeAccessedByLayers("Composition")
            .whereLayer("Dev").mayOnlyBeAccessedByLayers("Composition")
            .whereLayer("Core").mayOnlyBeAccessedByLayers("Composition", "Connection", "Api", "Dev")
            .whereLayer("Ports").mayOnlyBeAccessedByLayers("Composition", "Connection", "Api", "Dev", "Core")
            .whereLayer("Observe").mayOnlyAccessLayers("Pure")
            .whereLayer("Pure").mayOnlyAccessLayers("Pure");

    @ArchTest
    static final ArchRule adaptersAreChosenOnlyByTheCompositionRoot = noClasses()
            .that(DescribedPredicate.not(adapters()))
            .and().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat(adapters());

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();

    /**
     * The implementations of the ports, named for their technology ({@code Redis…}, {@code Memory…}, with their
     * nested classes), and the Redis plumbing they share. The settings in {@code config} that name a technology
     * ({@code RedisSettings}, {@code RedisMode}) are plain values, not adapters: the layered rule already keeps
     * {@code config} from depending on any adapter.
     */
    private static DescribedPredicate<JavaClass> adapters() {
        return resideInAPackage(ROOT + ".redis..").or(DescribedPredicate.describe(
                "named Redis* or Memory* outside config", c -> {
                    String name = topLevel(c).getSimpleName();
                    return (name.startsWith("Redis") || name.startsWith("Memory"))
                            && !c.getPackageName().startsWith(ROOT + ".config");
                }));
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
