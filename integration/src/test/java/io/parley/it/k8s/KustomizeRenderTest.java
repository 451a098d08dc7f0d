package io.parley.it.k8s;

import static io.parley.it.k8s.RenderedManifests.container;
import static io.parley.it.k8s.RenderedManifests.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.it.k8s.RenderedManifests.EnvVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay in {@code k8s/overlays} with kustomize and checks what must agree
 * between the rendered objects and with the service's contract (protocol.md §5): ports, probe
 * paths, drain timing, secrets, ingress, network policy, disruption budget.
 *
 * <p>A new overlay directory is picked up and checked without touching this class.
 */
class KustomizeRenderTest {

    private static final String APP = "parley";
    private static final String PUBLIC_SERVICE = "parley";
    private static final String ADMIN_SERVICE = "parley-admin";
    private static final String PUBLIC_PORT_NAME = "http";
    private static final String ADMIN_PORT_NAME = "admin";
    private static final int PUBLIC_PORT = 8080;
    private static final int ADMIN_PORT = 9090;
    private static final String READY_PATH = "/observe/health/ready";
    private static final String LIVE_PATH = "/observe/health/live";
    private static final String METRICS_PATH = "/observe/metrics";

    /** Defaults of the service (protocol.md §5) when a manifest does not set the variable. */
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(25);
    /** Time after the drain period for the outbox flush and a clean exit before SIGKILL. */
    private static final Duration FLUSH_MARGIN = Duration.ofSeconds(5);

    /** Variables that carry credentials: they must come from a Secret, never a literal or ConfigMap. */
    private static final Pattern SENSITIVE_NAME = Pattern.compile(".*(SECRET|PASSWORD|TOKEN|CREDENTIAL).*|PARLEY_REDIS_URI|REDISCLI_AUTH");

    private static final Path ROOT = RenderedManifests.repoRoot();
    private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("k8s/overlays"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
            assertFalse(names.isEmpty(), "no overlay with a kustomization.yaml under k8s/overlays");
            return names.stream();
        }
    }

    private static RenderedManifests overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> RenderedManifests.render(ROOT.resolve("k8s/overlays").resolve(n)));
    }

    @Test
    void baseAndRedisRenderOnTheirOwn() {
        RenderedManifests base = RenderedManifests.render(ROOT.resolve("k8s/base"));
        base.one("Deployment", APP);
        RenderedManifests redis = RenderedManifests.render(ROOT.resolve("k8s/redis"));
        redis.one("StatefulSet", "parley-redis");
        redis.one("Service", "parley-redis");
        RenderedManifests redisCluster = RenderedManifests.render(ROOT.resolve("k8s/redis-cluster"));
        redisCluster.one("StatefulSet", "parley-redis-cluster");
        redisCluster.one("Service", "parley-redis-cluster");
        redisCluster.one("Job", "parley-redis-cluster-create");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void containerPortsMatchServicesAndConfiguration(String name) {
        RenderedManifests k8s = overlay(name);
        Node pod = k8s.one("Deployment", APP).at("spec", "template");
        Node app = container(pod, APP);
        Map<String, Integer> ports = namedPorts(app);
        assertEquals(Map.of(PUBLIC_PORT_NAME, PUBLIC_PORT, ADMIN_PORT_NAME, ADMIN_PORT), ports,
                name + ": container ports");

        Map<String, EnvVar> env = k8s.environment(app);
        assertEquals(String.valueOf(PUBLIC_PORT), env.getOrDefault("PARLEY_PORT", literal("PARLEY_PORT", "8080")).value(),
                name + ": PARLEY_PORT must be the containerPort named " + PUBLIC_PORT_NAME);
        assertEquals(String.valueOf(ADMIN_PORT), env.getOrDefault("PARLEY_ADMIN_PORT", literal("PARLEY_ADMIN_PORT", "9090")).value(),
                name + ": PARLEY_ADMIN_PORT must be the containerPort named " + ADMIN_PORT_NAME);

        Map<String, String> podLabels = pod.at("metadata", "labels").stringMap();
        assertServiceTargets(k8s, PUBLIC_SERVICE, podLabels, ports, PUBLIC_PORT);
        assertServiceTargets(k8s, ADMIN_SERVICE, podLabels, ports, ADMIN_PORT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void probesUseTheAdminHealthEndpoints(String name) {
        Node app = container(overlay(name).one("Deployment", APP).at("spec", "template"), APP);
        Map<String, Integer> ports = namedPorts(app);
        assertHttpProbe(name, app, "readinessProbe", READY_PATH, ports);
        assertHttpProbe(name, app, "livenessProbe", LIVE_PATH, ports);
        assertHttpProbe(name, app, "startupProbe", LIVE_PATH, ports);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void gracePeriodOutlastsPreStopAndDrain(String name) {
        RenderedManifests k8s = overlay(name);
        Node pod = k8s.one("Deployment", APP).at("spec", "template");
        Node app = container(pod, APP);
        Duration preStop = preStopSleep(app.at("lifecycle", "preStop"))
                .orElseGet(() -> fail(name + ": the parley container needs a preStop sleep so that "
                        + "endpoints are updated before the drain starts"));
        EnvVar drainVar = k8s.environment(app).get("PARLEY_DRAIN_PERIOD");
        Duration drain = drainVar == null ? DEFAULT_DRAIN : duration(drainVar.value());
        Node graceNode = pod.at("spec", "terminationGracePeriodSeconds");
        Duration grace = Duration.ofSeconds(graceNode.isMissing() ? 30 : graceNode.asInt());
        Duration needed = preStop.plus(drain).plus(FLUSH_MARGIN);
        assertTrue(grace.compareTo(needed) >= 0, () -> name + ": terminationGracePeriodSeconds " + grace.toSeconds()
                + " s is shorter than preStop " + preStop.toSeconds() + " s + PARLEY_DRAIN_PERIOD "
                + drain.toMillis() + " ms + flush margin " + FLUSH_MARGIN.toSeconds()
                + " s: pods would be killed mid-drain");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void noSecretValueIsRendered(String name) {
        RenderedManifests k8s = overlay(name);
        k8s.ofKind("Secret").forEach(secret -> {
            assertTrue(secret.at("data").isEmpty() && secret.at("stringData").isEmpty(),
                    () -> name + ": Secret " + secret.at("metadata", "name")
                            + " carries values; secrets are created out of band (k8s/secret.example.yaml)");
        });
        k8s.ofKind("ConfigMap").forEach(cm -> cm.at("data").stringMap().keySet().forEach(key ->
                assertFalse(SENSITIVE_NAME.matcher(key).matches(),
                        () -> name + ": ConfigMap " + cm.at("metadata", "name") + " holds " + key)));

        Node example = RenderedManifests.parse(ROOT.resolve("k8s/secret.example.yaml")).getFirst();
        String exampleName = example.at("metadata", "name").text();
        Set<String> exampleKeys = example.at("stringData").stringMap().keySet();
        k8s.podTemplates().flatMap(pod -> pod.at("spec", "containers").items()).forEach(c ->
                k8s.environment(c).values().forEach(var -> {
                    if (SENSITIVE_NAME.matcher(var.name()).matches()) {
                        assertTrue(var.fromSecret(), () -> name + ": " + var.name() + " of container "
                                + c.at("name") + " must come from a secretKeyRef, not a literal");
                    }
                    if (var.fromSecret()) {
                        assertEquals(exampleName, var.secretName(), name + ": " + var.name() + " reads an undocumented Secret");
                        assertTrue(exampleKeys.contains(var.secretKey()), () -> name + ": " + var.name()
                                + " reads key " + var.secretKey() + " that k8s/secret.example.yaml does not document");
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void ingressRoutesOnlyThePublicPort(String name) {
        RenderedManifests k8s = overlay(name);
        Node app = container(k8s.one("Deployment", APP).at("spec", "template"), APP);
        Map<String, Integer> containerPorts = namedPorts(app);
        List<Node> ingresses = k8s.ofKind("Ingress").toList();
        assertFalse(ingresses.isEmpty(), name + ": no Ingress");
        Duration heartbeat = heartbeat(k8s, app);
        for (Node ingress : ingresses) {
            List<Node> backends = Stream.concat(
                            Stream.of(ingress.at("spec", "defaultBackend")).filter(b -> !b.isMissing()),
                            ingress.at("spec", "rules").items().flatMap(r -> r.at("http", "paths").items())
                                    .map(p -> p.at("backend")))
                    .toList();
            assertFalse(backends.isEmpty(), name + ": Ingress without a backend");
            for (Node backend : backends) {
                assertEquals(PUBLIC_SERVICE, backend.at("service", "name").text(),
                        name + ": an Ingress may only route to the public Service");
                Node servicePort = servicePort(k8s.one("Service", PUBLIC_SERVICE), backend.at("service", "port"));
                assertEquals(PUBLIC_PORT, resolve(servicePort.at("targetPort"), containerPorts),
                        name + ": the Ingress backend must reach the public container port");
            }
            Map<String, String> annotations = ingress.at("metadata", "annotations").stringMap();
            for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
                String value = annotations.get("nginx.ingress.kubernetes.io/" + timeout);
                assertTrue(value != null && Long.parseLong(value) > heartbeat.multipliedBy(2).toSeconds(),
                        () -> name + ": nginx " + timeout + " (" + value + ") must outlast two heartbeats ("
                                + heartbeat.toSeconds() + " s), or idle WebSockets are cut by the proxy");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void networkPolicyRestrictsTheAdminPort(String name) {
        RenderedManifests k8s = overlay(name);
        Node pod = k8s.one("Deployment", APP).at("spec", "template");
        Map<String, String> podLabels = pod.at("metadata", "labels").stringMap();
        Map<String, Integer> ports = namedPorts(container(pod, APP));
        List<Node> policies = k8s.ofKind("NetworkPolicy")
                .filter(p -> selects(p.at("spec", "podSelector", "matchLabels").stringMap(), podLabels))
                .toList();
        assertTrue(policies.stream().anyMatch(p -> p.at("spec", "policyTypes").items().anyMatch(t -> t.text().equals("Ingress"))),
                name + ": no NetworkPolicy isolates the parley pods for ingress");

        List<Node> rules = policies.stream().flatMap(p -> p.at("spec", "ingress").items()).toList();
        List<Node> adminPeers = peersAllowedOn(rules, ADMIN_PORT, ports);
        List<Node> publicPeers = peersAllowedOn(rules, PUBLIC_PORT, ports);
        assertFalse(adminPeers.isEmpty(), name + ": nobody may reach the admin port (monolith, monitoring)");
        assertFalse(publicPeers.isEmpty(), name + ": nobody may reach the public port (the ingress controller)");
        for (Node peer : adminPeers) {
            assertTrue(peer.at("ipBlock").isMissing(), () -> name + ": the admin port is open to an ipBlock " + peer);
            assertTrue(!peer.at("podSelector", "matchLabels").isEmpty() || !peer.at("namespaceSelector", "matchLabels").isEmpty(),
                    () -> name + ": the admin port is open to an empty selector (everyone) " + peer);
        }
        for (Node peer : publicPeers) {
            assertFalse(adminPeers.contains(peer),
                    () -> name + ": the ingress controller's peer " + peer + " may also reach the admin port");
        }

        if (k8s.has("StatefulSet", "parley-redis")) {
            Map<String, String> redisLabels = k8s.one("StatefulSet", "parley-redis")
                    .at("spec", "template", "metadata", "labels").stringMap();
            List<Node> redisPeers = k8s.ofKind("NetworkPolicy")
                    .filter(p -> selects(p.at("spec", "podSelector", "matchLabels").stringMap(), redisLabels))
                    .flatMap(p -> p.at("spec", "ingress").items())
                    .flatMap(r -> r.at("from").isEmpty() ? Stream.of(Node.of(Map.of())) : r.at("from").items())
                    .toList();
            assertFalse(redisPeers.isEmpty(), name + ": no NetworkPolicy isolates Redis");
            redisPeers.forEach(peer -> assertTrue(
                    peer.at("namespaceSelector").isMissing() && peer.at("ipBlock").isMissing()
                            && !peer.at("podSelector", "matchLabels").isEmpty()
                            && selects(peer.at("podSelector", "matchLabels").stringMap(), podLabels),
                    () -> name + ": Redis must be reachable from the parley pods only, not " + peer));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void disruptionBudgetAndAutoscalerTargetTheDeployment(String name) {
        RenderedManifests k8s = overlay(name);
        Node deployment = k8s.one("Deployment", APP);
        Map<String, String> podLabels = deployment.at("spec", "template", "metadata", "labels").stringMap();
        assertTrue(selects(deployment.at("spec", "selector", "matchLabels").stringMap(), podLabels),
                name + ": the Deployment selector does not match its own pods");

        // Other workloads (a Redis Cluster) may have their own budgets; the parley pods have exactly one.
        List<Node> budgets = k8s.ofKind("PodDisruptionBudget")
                .filter(b -> selects(b.at("spec", "selector", "matchLabels").stringMap(), podLabels)).toList();
        assertEquals(1, budgets.size(), name + ": exactly one PodDisruptionBudget for the parley pods");
        Map<String, String> budgetSelector = budgets.getFirst().at("spec", "selector", "matchLabels").stringMap();
        assertFalse(budgetSelector.isEmpty(), name + ": the PodDisruptionBudget selects every pod");
        assertTrue(selects(budgetSelector, podLabels), name + ": the PodDisruptionBudget does not select the parley pods");

        int maxPods = deployment.at("spec", "replicas").isMissing() ? 1 : deployment.at("spec", "replicas").asInt();
        for (Node hpa : k8s.ofKind("HorizontalPodAutoscaler").toList()) {
            Node target = hpa.at("spec", "scaleTargetRef");
            assertEquals("Deployment", target.at("kind").text(), name + ": autoscaler target kind");
            assertEquals(APP, target.at("name").text(), name + ": autoscaler target");
            maxPods = Math.max(maxPods, hpa.at("spec", "maxReplicas").asInt());
            assertTrue(deployment.at("spec", "replicas").isMissing(),
                    name + ": with an autoscaler, spec.replicas would reset the scale (and drain pods) on every apply");
        }
        if (maxPods > 1) {
            assertTrue(k8s.environment(container(deployment.at("spec", "template"), APP)).containsKey("PARLEY_REDIS_URI"),
                    name + ": more than one pod needs Redis (PARLEY_REDIS_URI); without it each pod is a separate chat");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void podsRunRestricted(String name) {
        RenderedManifests k8s = overlay(name);
        List<Node> pods = k8s.podTemplates().toList();
        assertFalse(pods.isEmpty(), name + ": no pod template");
        for (Node pod : pods) {
            String where = name + " " + pod.at("metadata", "labels").stringMap();
            Node spec = pod.at("spec");
            assertFalse(spec.at("enableServiceLinks").isMissing() || spec.at("enableServiceLinks").isTrue(),
                    where + ": enableServiceLinks must be false (service links inject PARLEY_PORT=tcp://... "
                            + "for the Service named parley)");
            assertTrue(spec.at("securityContext", "runAsNonRoot").isTrue(), where + ": runAsNonRoot");
            assertEquals("RuntimeDefault", spec.at("securityContext", "seccompProfile", "type").text(), where + ": seccomp");
            Set<String> emptyDirs = spec.at("volumes").items().filter(v -> !v.at("emptyDir").isMissing())
                    .map(v -> v.at("name").text()).collect(Collectors.toSet());
            spec.at("containers").items().forEach(c -> {
                Node sc = c.at("securityContext");
                String who = where + " container " + c.at("name");
                assertEquals("false", sc.at("allowPrivilegeEscalation").text(), who + ": allowPrivilegeEscalation");
                assertTrue(sc.at("readOnlyRootFilesystem").isTrue(), who + ": readOnlyRootFilesystem");
                assertTrue(sc.at("capabilities", "drop").items().anyMatch(d -> d.text().equals("ALL")), who + ": drop ALL");
                assertTrue(c.at("volumeMounts").items().anyMatch(m -> m.at("mountPath").text().equals("/tmp")
                                && emptyDirs.contains(m.at("name").text())),
                        who + ": a read-only root needs an emptyDir at /tmp");
                assertFalse(c.at("resources", "limits", "memory").isMissing(), who + ": memory limit");
                assertFalse(c.at("resources", "requests", "cpu").isMissing(), who + ": cpu request");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void aRedisClusterHasSixDurableNodesAndParleyInClusterMode(String name) {
        RenderedManifests k8s = overlay(name);
        if (!k8s.has("StatefulSet", "parley-redis-cluster")) {
            return; // this overlay runs no in-cluster Redis Cluster
        }
        assertFalse(k8s.has("StatefulSet", "parley-redis"), name + ": one Redis or a cluster, not both");
        Map<String, EnvVar> env = k8s.environment(container(k8s.one("Deployment", APP).at("spec", "template"), APP));
        assertEquals("cluster", Optional.ofNullable(env.get("PARLEY_REDIS_MODE")).map(EnvVar::value).orElse(""),
                name + ": Parley must run in cluster mode against a Redis Cluster");
        Node nodes = k8s.one("StatefulSet", "parley-redis-cluster");
        assertEquals(6, nodes.at("spec", "replicas").asInt(), name + ": three primaries with a replica each");
        String conf = redisConf(k8s, nodes);
        for (String line : List.of("cluster-enabled yes", "appendonly yes", "appendfsync everysec",
                "maxmemory-policy noeviction")) {
            assertTrue(conf.lines().anyMatch(l -> l.trim().equals(line)), name + ": redis.conf needs " + line);
        }
        assertTrue(dataOnAClaim(nodes), name + ": /data (AOF and nodes.conf) must be a PersistentVolumeClaim");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theJvmChoosesExactlyOneCollector(String name) {
        // The image leaves the collector to JDK_JAVA_OPTIONS, and the ConfigMap replaces the image's default of that
        // variable: without a collector there, the JVM would pick G1 on 2 CPUs and the memory sizing would not hold.
        RenderedManifests k8s = overlay(name);
        Map<String, EnvVar> env = k8s.environment(container(k8s.one("Deployment", APP).at("spec", "template"), APP));
        String options = Optional.ofNullable(env.get("JDK_JAVA_OPTIONS")).map(EnvVar::value).orElse("");
        long collectors = Arrays.stream(options.split("\\s+"))
                .filter(flag -> flag.matches("-XX:\\+Use(Serial|G1|Parallel|Z|Shenandoah)GC")).count();
        assertEquals(1, collectors, name + ": JDK_JAVA_OPTIONS must name one collector: " + options);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void developmentModeOnlyInTheDevOverlay(String name) {
        RenderedManifests k8s = overlay(name);
        k8s.podTemplates().flatMap(pod -> pod.at("spec", "containers").items()).forEach(c -> {
            EnvVar dev = k8s.environment(c).get("PARLEY_DEV");
            if (dev != null && !name.equals("dev")) {
                assertNotEquals("true", dev.value().toLowerCase(Locale.ROOT),
                        name + ": PARLEY_DEV=true (demo page, development token issuer) is for the dev overlay only");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void redisKeepsAnAppendOnlyFileOnAVolume(String name) {
        RenderedManifests k8s = overlay(name);
        if (!k8s.has("StatefulSet", "parley-redis")) {
            return; // this overlay uses no in-cluster Redis (in-memory, or a managed one)
        }
        Node redis = k8s.one("StatefulSet", "parley-redis");
        String conf = redisConf(k8s, redis);
        assertTrue(conf.lines().anyMatch(l -> l.trim().equals("appendonly yes")), name + ": redis.conf must enable the AOF");
        assertTrue(conf.lines().anyMatch(l -> l.trim().equals("appendfsync everysec")), name + ": appendfsync everysec");
        assertTrue(conf.lines().anyMatch(l -> l.trim().equals("maxmemory-policy noeviction")),
                name + ": Redis must never evict Parley's streams");
        assertTrue(dataOnAClaim(redis), name + ": /data must be a PersistentVolumeClaim");
    }

    /** The redis.conf of every ConfigMap a Redis StatefulSet mounts, joined. */
    private static String redisConf(RenderedManifests k8s, Node statefulSet) {
        return statefulSet.at("spec", "template", "spec", "volumes").items()
                .map(v -> v.at("configMap", "name"))
                .filter(n -> !n.isMissing())
                .map(n -> k8s.configMap(n.text()).at("data", "redis.conf").text())
                .collect(Collectors.joining("\n"));
    }

    /** Whether the StatefulSet's redis container has /data on one of its volume claim templates. */
    private static boolean dataOnAClaim(Node statefulSet) {
        Set<String> claims = statefulSet.at("spec", "volumeClaimTemplates").items()
                .map(t -> t.at("metadata", "name").text()).collect(Collectors.toSet());
        return container(statefulSet.at("spec", "template"), "redis").at("volumeMounts").items()
                .anyMatch(m -> m.at("mountPath").text().equals("/data") && claims.contains(m.at("name").text()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void prometheusScrapesTheAdminMetrics(String name) {
        Node pod = overlay(name).one("Deployment", APP).at("spec", "template");
        Map<String, String> annotations = pod.at("metadata", "annotations").stringMap();
        assertEquals("true", annotations.get("prometheus.io/scrape"), name + ": prometheus.io/scrape");
        assertEquals(String.valueOf(ADMIN_PORT), annotations.get("prometheus.io/port"), name + ": prometheus.io/port");
        assertEquals(METRICS_PATH, annotations.get("prometheus.io/path"), name + ": prometheus.io/path");
    }

    /** The alert rules parse, cover the risks the brief names, and each has a runbook section. */
    @Test
    void alertRulesCoverTheOperationalRisksAndHaveRunbooks() throws IOException {
        Node rules = RenderedManifests.parse(ROOT.resolve("k8s/monitoring/prometheus-rules.yaml")).getFirst();
        List<Node> alerts = rules.at("groups").items().flatMap(g -> g.at("rules").items())
                .filter(r -> !r.at("alert").isMissing()).toList();
        String expressions = alerts.stream().map(a -> a.at("expr").text()).collect(Collectors.joining("\n"));
        for (String metric : List.of("parley_outbox_backlog", "parley_dead_letters",
                "parley_slow_consumer_closes_total", "parley_redis_up", "kube_deployment_status_replicas_available")) {
            assertTrue(expressions.contains(metric), "no alert on " + metric);
        }
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        for (Node alert : alerts) {
            String alertName = alert.at("alert").text();
            assertFalse(alert.at("expr").isEmpty(), alertName + ": expr");
            assertFalse(alert.at("for").isEmpty(), alertName + ": for");
            assertTrue(Set.of("warning", "critical").contains(alert.at("labels", "severity").text()), alertName + ": severity");
            assertFalse(alert.at("annotations", "summary").isEmpty(), alertName + ": summary");
            assertEquals("docs/operations.md#" + alertName.toLowerCase(Locale.ROOT), alert.at("annotations", "runbook").text(),
                    alertName + ": runbook");
            assertTrue(operations.contains("### " + alertName + "\n"),
                    alertName + ": docs/operations.md needs a section '### " + alertName + "'");
        }
    }

    /**
     * The Prometheus Operator variant renders, scrapes the admin port's metrics path, and carries exactly the
     * groups of the plain rules file (so an alert added to one is never missing from the other).
     */
    @Test
    void operatorMonitoringMatchesThePlainFiles() throws IOException {
        RenderedManifests operator = RenderedManifests.render(ROOT.resolve("k8s/monitoring/operator"));
        Node monitor = operator.one("ServiceMonitor", APP);
        Node endpoint = monitor.at("spec", "endpoints").items().findFirst().orElseGet(() -> fail("no endpoint"));
        assertEquals(ADMIN_PORT_NAME, endpoint.at("port").text(), "ServiceMonitor scrapes the admin port");
        assertEquals(METRICS_PATH, endpoint.at("path").text(), "ServiceMonitor path");
        Node plain = RenderedManifests.parse(ROOT.resolve("k8s/monitoring/prometheus-rules.yaml")).getFirst();
        assertEquals(plain.at("groups"), operator.one("PrometheusRule", APP).at("spec", "groups"),
                "k8s/monitoring/operator/prometheus-rule.yaml must carry the groups of prometheus-rules.yaml");
    }

    /** The alerts and the Grafana dashboard use only metrics that docs/operations.md lists (and Parley serves). */
    @Test
    void alertsAndDashboardUseDocumentedMetrics() throws IOException {
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        String table = operations.substring(operations.indexOf("\n## Metrics\n"), operations.indexOf("\n## Logs\n"));
        Set<String> documented = metricNames(table, Pattern.compile("^\\| `(parley_[a-z_]+)", Pattern.MULTILINE));
        Pattern used = Pattern.compile("(parley_[a-z_]+)");
        Set<String> inRules = metricNames(Files.readString(ROOT.resolve("k8s/monitoring/prometheus-rules.yaml")), used);
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("k8s/monitoring/grafana-dashboard.json").toFile());
        String expressions = dashboard.findValues("expr").stream().map(JsonNode::asText)
                .collect(Collectors.joining("\n"));
        Set<String> inDashboard = metricNames(expressions, used);
        assertTrue(inDashboard.size() >= 15, "the dashboard shows the metrics: " + inDashboard);
        for (String metric : inRules) {
            assertTrue(documented.contains(metric), "alert on undocumented " + metric);
        }
        for (String metric : inDashboard) {
            assertTrue(documented.contains(metric), "dashboard panel on undocumented " + metric);
        }
    }

    /** Metric family names in a text: histogram series suffixes removed. */
    private static Set<String> metricNames(String text, Pattern pattern) {
        Set<String> names = new java.util.TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1).replaceAll("_(bucket|max|count|sum)$", ""));
        }
        return names;
    }

    // --- helpers -------------------------------------------------------------------------

    private static EnvVar literal(String name, String value) {
        return new EnvVar(name, value, null, null);
    }

    private static Map<String, Integer> namedPorts(Node container) {
        return container.at("ports").items()
                .collect(Collectors.toMap(p -> p.at("name").text(), p -> p.at("containerPort").asInt()));
    }

    /** A port given by number or by container port name, as Services, probes and policies allow. */
    private static int resolve(Node port, Map<String, Integer> containerPorts) {
        if (port.isNumber()) {
            return port.asInt();
        }
        Integer number = containerPorts.get(port.text());
        if (number == null) {
            return fail("port " + port + " names no container port " + containerPorts.keySet());
        }
        return number;
    }

    private static void assertServiceTargets(RenderedManifests k8s, String serviceName, Map<String, String> podLabels,
                                             Map<String, Integer> containerPorts, int expectedPort) {
        Node service = k8s.one("Service", serviceName);
        Map<String, String> selector = service.at("spec", "selector").stringMap();
        assertFalse(selector.isEmpty(), k8s.source() + ": Service " + serviceName + " has no selector");
        assertTrue(selects(selector, podLabels), k8s.source() + ": Service " + serviceName + " does not select the parley pods");
        List<Node> ports = service.at("spec", "ports").items().toList();
        assertEquals(1, ports.size(), k8s.source() + ": Service " + serviceName + " must expose exactly one port");
        assertEquals(expectedPort, resolve(ports.getFirst().at("targetPort"), containerPorts),
                k8s.source() + ": Service " + serviceName + " targets the wrong container port");
    }

    private static Node servicePort(Node service, Node backendPort) {
        return service.at("spec", "ports").items()
                .filter(p -> backendPort.at("name").isMissing()
                        ? p.at("port").text().equals(backendPort.at("number").text())
                        : p.at("name").text().equals(backendPort.at("name").text()))
                .findFirst()
                .orElseGet(() -> fail("Service " + service.at("metadata", "name") + " has no port " + backendPort));
    }

    private static void assertHttpProbe(String overlay, Node container, String probe, String path,
                                        Map<String, Integer> ports) {
        Node get = container.at(probe, "httpGet");
        assertFalse(get.isMissing(), overlay + ": " + probe + " must be an httpGet probe");
        assertEquals(path, get.at("path").text(), overlay + ": " + probe + " path");
        assertEquals(ADMIN_PORT, resolve(get.at("port"), ports), overlay + ": " + probe + " must use the admin port");
    }

    /** Peers of the rules that let traffic reach the given container port; a rule without peers lets everyone in. */
    private static List<Node> peersAllowedOn(List<Node> rules, int port, Map<String, Integer> containerPorts) {
        return rules.stream()
                .filter(rule -> rule.at("ports").isEmpty() || rule.at("ports").items().anyMatch(p -> covers(p, port, containerPorts)))
                .flatMap(rule -> rule.at("from").isEmpty() ? Stream.of(Node.of(Map.of())) : rule.at("from").items())
                .toList();
    }

    private static boolean covers(Node policyPort, int port, Map<String, Integer> containerPorts) {
        if (policyPort.at("port").isMissing()) {
            return true;
        }
        int from = resolve(policyPort.at("port"), containerPorts);
        int to = policyPort.at("endPort").isMissing() ? from : policyPort.at("endPort").asInt();
        return from <= port && port <= to;
    }

    private static Optional<Duration> preStopSleep(Node preStop) {
        if (!preStop.at("sleep", "seconds").isMissing()) {
            return Optional.of(Duration.ofSeconds(preStop.at("sleep", "seconds").asInt()));
        }
        Matcher sleep = Pattern.compile("\\bsleep\\s+(\\d+)\\b").matcher(
                preStop.at("exec", "command").items().map(Node::text).collect(Collectors.joining(" ")));
        return sleep.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(sleep.group(1))))
                : Optional.empty();
    }

    private static Duration heartbeat(RenderedManifests k8s, Node container) {
        EnvVar heartbeat = k8s.environment(container).get("PARLEY_HEARTBEAT");
        return heartbeat == null ? DEFAULT_HEARTBEAT : duration(heartbeat.value());
    }

    /**
     * Parses the service's duration syntax (application.yaml): {@code 10s}, {@code 500ms}, {@code 1m30s}, a bare
     * number of seconds, or ISO-8601 {@code PT10S}.
     */
    static Duration duration(String text) {
        String value = text.trim();
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(value);
        }
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        if (!value.matches("(\\d+(ms|s|m|h))+")) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return total;
    }
}
