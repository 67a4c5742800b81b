package io.ledgerlake.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of the data path, checked on the compiled main classes of every module (the cli module sees them
 * all): steps of the path are top-level packages of io.ledgerlake, no two of them depend on each other in a cycle, and
 * the lower layers never reach up. Maven's enforcer (BanCircularDependencies) checks modules; this checks packages,
 * which also catches a cycle inside one module (the cli module hosts io.ledgerlake.cli and io.ledgerlake.jobs.*).
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.ledgerlake");
  }

  @Test
  void theStepsOfTheDataPathHaveNoCycles() {
    slices().matching("io.ledgerlake.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theBottomModulesDependOnNothingAboveThem() {
    noClasses().that().resideInAPackage("io.ledgerlake.common..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.ledgerlake.common..", "java..", "javax..")
        .check(classes);
    noClasses().that().resideInAnyPackage("io.ledgerlake.lakehouse..", "io.ledgerlake.content..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ledgerlake.ingestion..", "io.ledgerlake.labeling..",
            "io.ledgerlake.training..", "io.ledgerlake.rag..", "io.ledgerlake.provenance..", "io.ledgerlake.indexer..",
            "io.ledgerlake.jobs..", "io.ledgerlake.cli..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineDependsOnTheCommandLine() {
    noClasses().that().resideOutsideOfPackage("io.ledgerlake.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.ledgerlake.cli..").check(classes);
  }

  @Test
  void jobsAndTheirResultsAreFreeOfTheHttpServer() {
    // Spark and Flink jobs run on clusters: the upload API's server classes stay out of them (rag/api and
    // labeling/api are the extensions that bridge the two).
    noClasses().that().resideInAnyPackage("io.ledgerlake.training..", "io.ledgerlake.rag.embed..",
            "io.ledgerlake.rag.index..", "io.ledgerlake.jobs.publish..", "io.ledgerlake.jobs.reconcile..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ledgerlake.ingestion.server..", "org.eclipse.jetty..")
        .check(classes);
  }
}
