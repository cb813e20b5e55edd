package org.lodge.provisioning.doctor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.libvirt.DomainListing;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.UnitDriver;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.DeleteUnit;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Compares this node with the database: libvirt domains (LXC and QEMU), volumes in Lodge's
 * pools, mount directories, IP assignments and FTP passwords kept for units. Only names Lodge
 * gives ({@code lodge-} and eight hex digits of the unit id) are looked at: nothing else on the
 * node is Lodge's to judge. Orphans are repaired through the deletion steps' own code
 * ({@link DeleteUnit}); everything that belongs to a unit with a queued or running job is left
 * alone, because a unit being provisioned or deleted is between states by design.
 *
 * <p>Order matters: the database is read first, the node second, and names found on the node
 * without a unit are checked against the database once more. A unit's row is written before
 * its domain and removed after it, so a domain seen on the node whose unit is still missing
 * afterwards really has none.
 */
@Component
@WorkerRole
public class Doctor {

    static final Pattern LODGE_NAME = Pattern.compile("lodge-[0-9a-f]{8}");
    private static final Pattern JAIL_VOLUME = Pattern.compile("(lodge-[0-9a-f]{8})\\.img");
    private static final Pattern VM_VOLUME = Pattern.compile("(lodge-[0-9a-f]{8})[.-].+");
    private static final String ACTIVE = "('ENQUEUED', 'RUNNING', 'COMPENSATING')";

    private final JdbcClient jdbc;
    private final UnitRepository units;
    private final UnitDrivers drivers;
    private final JailHost jails;
    private final VmHost vms;
    private final NodeProperties node;
    private final Map<UnitKind, DeleteUnit> deleters;
    private final CreateFtpAccount ftp;
    private final UnitFilter filter;

    public Doctor(JdbcClient jdbc, UnitRepository units, UnitDrivers drivers, JailHost jails, VmHost vms,
                  NodeProperties node, List<DeleteUnit> deleters, CreateFtpAccount ftp, UnitFilter filter) {
        this.jdbc = jdbc;
        this.units = units;
        this.drivers = drivers;
        this.jails = jails;
        this.vms = vms;
        this.node = node;
        this.deleters = deleters.stream().collect(Collectors.toMap(DeleteUnit::kind, Function.identity()));
        this.ftp = ftp;
        this.filter = filter;
    }

    public List<Finding> examine() {
        Map<String, UnitEntity> byName = units.findByNodeName(node.name()).stream()
                .collect(Collectors.toMap(UnitEntity::libvirtName, Function.identity()));
        Set<UUID> busy = busyUnits();

        // What the node holds, by libvirt name and kind (tests may put both kinds on one URI: listed once).
        Map<String, Set<String>> byUri = new LinkedHashMap<>();
        Map<UnitKind, Set<String>> domains = new LinkedHashMap<>();
        Map<String, UnitKind> firstKind = new LinkedHashMap<>();
        for (UnitDriver driver : drivers.all()) {
            firstKind.putIfAbsent(driver.uri(), driver.kind());
            domains.put(driver.kind(), byUri.computeIfAbsent(driver.uri(), uri ->
                    DomainListing.of(driver.connection()).names().stream().filter(n -> LODGE_NAME.matcher(n).matches())
                            .collect(Collectors.toCollection(TreeSet::new))));
        }
        Set<String> jailVolumes = lodgeNames(volumes(jails.pool()), JAIL_VOLUME);
        Set<String> vmVolumes = lodgeNames(volumes(vms.pool()), VM_VOLUME);
        String[] dirs = new File(node.mountDir()).list();
        Set<String> mounts = dirs == null ? Set.of() : Arrays.stream(dirs).filter(n -> LODGE_NAME.matcher(n).matches())
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<UnitFilter.Entry>> filtered = filter.entries().stream()
                .filter(entry -> LODGE_NAME.matcher(entry.port()).matches())
                .collect(Collectors.groupingBy(UnitFilter.Entry::port, TreeMap::new, Collectors.toList()));

        Set<String> unknown = new HashSet<>();
        byUri.values().forEach(unknown::addAll);
        unknown.addAll(jailVolumes);
        unknown.addAll(vmVolumes);
        unknown.addAll(mounts);
        unknown.addAll(filtered.keySet());
        unknown.removeAll(byName.keySet());
        Set<String> claimed = claimed(unknown);
        unknown.removeAll(claimed);

        List<Finding> findings = new ArrayList<>();
        firstKind.forEach((uri, kind) -> byUri.get(uri).stream().filter(unknown::contains).forEach(name -> findings.add(
                orphan(kind, name, "libvirt domain " + name + " (" + label(kind) + ") has no unit"))));
        jailVolumes.stream().filter(unknown::contains).forEach(name -> findings.add(orphan(UnitKind.JAIL, name,
                "image volume " + JailHost.volumeName(name) + " in pool " + node.storagePool() + " has no unit")));
        vmVolumes.stream().filter(unknown::contains).forEach(name -> findings.add(orphan(UnitKind.VM, name,
                "volumes of " + name + " in pool " + node.vm().storagePool() + " have no unit")));
        mounts.stream().filter(unknown::contains).forEach(name -> findings.add(orphan(UnitKind.JAIL, name,
                "mount directory " + jails.mountPoint(name) + (jails.isMounted(name) ? " (image mounted)" : "")
                        + " has no unit")));
        filtered.keySet().stream().filter(unknown::contains).forEach(name -> findings.add(new Finding(
                "traffic filter entry of " + name + " (" + describe(filtered.get(name)) + ") has no unit", ctx -> {
                    if (!claimed(Set.of(name)).isEmpty()) {
                        ctx.warn(name + " left alone: it belongs to a unit or a job in progress now");
                        return;
                    }
                    filter.release(name);
                    ctx.log("traffic filter entry of " + name + " removed");
                })));

        for (UnitEntity unit : byName.values()) {
            if (busy.contains(unit.id())) {
                continue;
            }
            boolean hasDomain = domains.get(unit.kind()).contains(unit.libvirtName());
            boolean hasDisk = (unit.kind() == UnitKind.JAIL ? jailVolumes : vmVolumes).contains(unit.libvirtName());
            if (!hasDomain && !hasDisk) {
                findings.add(new Finding("unit " + unit.libvirtName() + " (" + unit.domain() + ", " + unit.state()
                        + ") has no libvirt domain and no disk: IP " + unit.ipv4() + " is assigned to a unit that does not exist on the node",
                        ctx -> repairUnit(unit.id(), ctx)));
            } else if (!hasDomain) {
                findings.add(Finding.report("unit " + unit.libvirtName() + " (" + unit.domain()
                        + ") has no libvirt domain, but its disk is still there (not removed: it holds data)"));
            } else if (!filtered.containsKey(unit.libvirtName())) {
                findings.add(Finding.report("unit " + unit.libvirtName() + " (" + unit.domain()
                        + ") has no traffic filter entry: everything it sends is dropped until it is defined again"));
            } else if (!filtered.get(unit.libvirtName()).stream().allMatch(e -> e.ipv4().equals(unit.ipv4()))) {
                findings.add(Finding.report("unit " + unit.libvirtName() + " (" + unit.domain() + ", " + unit.ipv4()
                        + ") may send as " + describe(filtered.get(unit.libvirtName()))));
            }
            if (unit.kind() == UnitKind.JAIL && hasDisk && jails.isMounted(unit)) {
                ftpAccount(unit).ifPresent(findings::add);
            }
            if (hasDomain && !hasDisk) {
                findings.add(Finding.report("unit " + unit.libvirtName() + " (" + unit.domain()
                        + ") has a libvirt domain but no disk volume"));
            }
        }
        findings.addAll(new AddressCheck(jdbc, node.name()).findings());
        findings.addAll(ftpPasswords());
        return findings;
    }

    /**
     * The jail's FTP account as its image holds it ({@code /etc/passwd} of the mounted root): a
     * unit whose account is gone cannot be reached by FTP. Reported only: the customer is root in
     * the jail and may have changed it. A VM's accounts are inside its guest, out of the doctor's sight.
     */
    private Optional<Finding> ftpAccount(UnitEntity jail) {
        Path passwd = jails.mountPoint(jail).resolve("etc/passwd");
        try {
            boolean present = Files.readAllLines(passwd).stream().anyMatch(line -> line.startsWith(jail.ftpUser() + ":"));
            return present ? Optional.empty() : Optional.of(Finding.report("unit " + jail.libvirtName() + " ("
                    + jail.domain() + "): its FTP account " + jail.ftpUser() + " is missing from the jail's /etc/passwd"));
        } catch (IOException e) {
            return Optional.of(Finding.report("unit " + jail.libvirtName() + " (" + jail.domain()
                    + "): the jail's /etc/passwd cannot be read, its FTP account is not checked"));
        }
    }

    private static String describe(List<UnitFilter.Entry> entries) {
        return entries.stream().map(e -> e.mac() + " " + e.ipv4()).collect(Collectors.joining(", "));
    }

    private Finding orphan(UnitKind kind, String name, String text) {
        return new Finding(text, ctx -> {
            if (!claimed(Set.of(name)).isEmpty()) {
                ctx.warn(name + " left alone: it belongs to a unit or a job in progress now");
                return;
            }
            deleters.get(kind).removeLeftovers(name, ctx);
        });
    }

    /** Deletes a unit row left without domain or disk, through the deletion step, after checking again. */
    private void repairUnit(UUID id, org.lodge.provisioning.job.JobContext ctx) throws Exception {
        UnitEntity unit = units.findById(id).orElse(null);
        if (unit == null) {
            ctx.log("unit already gone");
            return;
        }
        UnitDriver driver = drivers.of(unit);
        boolean hasDisk = unit.kind() == UnitKind.JAIL ? jails.volume(unit).isPresent()
                : vms.volume(VmHost.diskName(unit)).isPresent();
        if (busyUnits().contains(id) || driver.domain(unit).isPresent() || hasDisk) {
            ctx.warn(unit.libvirtName() + " left alone: it has a job, a domain or a disk now");
            return;
        }
        deleters.get(unit.kind()).delete(unit, ctx);
    }

    private List<Finding> ftpPasswords() {
        return jdbc.sql("""
                select s.job_id, s.ftp_user from job_secret s join provisioning_job j on j.id = s.job_id
                 where j.node_name = :node and j.state in ('OK', 'KO')
                   and not exists (select 1 from unit u where u.id = j.unit_id)""")
                .param("node", node.name())
                .query((rs, n) -> {
                    UUID job = rs.getObject("job_id", UUID.class);
                    return new Finding("FTP password of " + rs.getString("ftp_user") + " (job " + job
                            + ") is kept for a unit that no longer exists", ctx -> ftp.forget(job));
                })
                .list();
    }

    private Set<UUID> busyUnits() {
        return new HashSet<>(jdbc.sql("select unit_id from provisioning_job where node_name = :node and unit_id is not null"
                        + " and state in " + ACTIVE)
                .param("node", node.name()).query(UUID.class).list());
    }

    /** Of these libvirt names, those that have a unit row now or whose unit id has a job in progress. */
    private Set<String> claimed(Collection<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                select libvirt_name from unit where libvirt_name in (:names)
                union
                select 'lodge-' || substr(cast(unit_id as text), 1, 8) from provisioning_job
                 where state in """ + ACTIVE + """
                   and unit_id is not null and 'lodge-' || substr(cast(unit_id as text), 1, 8) in (:names)""")
                .param("names", List.copyOf(names)).query(String.class).list());
    }

    private static String[] volumes(StoragePool pool) {
        try {
            return pool.listVolumes();
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("listing volumes", e);
        }
    }

    private static Set<String> lodgeNames(String[] volumes, Pattern pattern) {
        Set<String> names = new TreeSet<>();
        for (String volume : volumes) {
            Matcher m = pattern.matcher(volume);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String label(UnitKind kind) {
        return kind == UnitKind.JAIL ? "LXC" : "QEMU";
    }
}
