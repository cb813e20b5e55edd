package org.lodge;

import org.lodge.portal.cli.DoctorCommand;
import org.lodge.portal.cli.ProvisionCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Lodge: one jar, two roles (portal and worker), both on by default. {@code java -jar lodge.jar
 * provision ...} and {@code doctor ...} are the command-line client instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LodgeApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("provision")) {
            System.exit(ProvisionCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("backup")) {
            System.exit(org.lodge.portal.cli.BackupCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    System.getenv(), System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("bulk")) {
            System.exit(org.lodge.portal.cli.BulkCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    System.getenv(), System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("doctor")) {
            System.exit(DoctorCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.in,
                    System.out, System.err));
        }
        SpringApplication.run(LodgeApplication.class, args);
    }
}
