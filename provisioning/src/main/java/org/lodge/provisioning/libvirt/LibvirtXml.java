package org.lodge.provisioning.libvirt;

import java.util.Map;
import org.springframework.stereotype.Component;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders libvirt XML (domains, networks, pools, volumes) from the templates under
 * {@code libvirt/} in XML mode, so every value is escaped by Thymeleaf, never concatenated.
 */
@Component
public class LibvirtXml {

    // The Spring flavour evaluates expressions with SpEL (plain Thymeleaf would need OGNL).
    private final SpringTemplateEngine engine = new SpringTemplateEngine();

    public LibvirtXml() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("libvirt/");
        resolver.setSuffix(".xml");
        resolver.setTemplateMode(TemplateMode.XML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    public String render(String template, Map<String, Object> values) {
        Context context = new Context();
        context.setVariables(values);
        return engine.process(template, context);
    }
}
