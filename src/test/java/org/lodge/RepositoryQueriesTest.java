package org.lodge;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * Every query a repository declares is written out ({@code @Query}): Hibernate caches the
 * translation of a query string, but a query derived from the method name is built as a
 * criteria query on every call and translated to SQL again each time (about a millisecond of
 * CPU per call on our nodes, on the hot paths of a request and of a job).
 */
class RepositoryQueriesTest {

    @Test
    void repositoriesDeclareNoDerivedQueries() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface();
            }
        };
        scanner.addIncludeFilter(new AssignableTypeFilter(Repository.class));
        List<String> derived = new ArrayList<>();
        int repositories = 0;
        for (BeanDefinition definition : scanner.findCandidateComponents("org.lodge")) {
            repositories++;
            Class<?> repository = Class.forName(definition.getBeanClassName());
            Arrays.stream(repository.getDeclaredMethods())
                    .filter(method -> !method.isDefault() && !method.isSynthetic())
                    .filter(method -> !method.isAnnotationPresent(Query.class))
                    .map(Method::toGenericString).forEach(derived::add);
        }
        assertThat(repositories).as("repositories found").isGreaterThan(5);
        assertThat(derived).as("repository methods without @Query").isEmpty();
    }
}
