package org.lodge.provisioning.libvirt;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads the XML libvirt gives back (domains, snapshots, capabilities) with XPath. */
public final class XmlQuery {

    /*
     * The factories are looked up once: newInstance() searches the class path's service files on
     * every call, which cost milliseconds per step. Neither factory is thread-safe, so each use
     * holds its lock; the builders and XPath objects they make are used by one thread only.
     */
    private static final DocumentBuilderFactory DOCUMENTS = documents();
    private static final XPathFactory XPATHS = XPathFactory.newInstance();

    private final Document document;

    private XmlQuery(Document document) {
        this.document = document;
    }

    public static XmlQuery of(String xml) {
        try {
            DocumentBuilder builder;
            synchronized (DOCUMENTS) {
                builder = DOCUMENTS.newDocumentBuilder();
            }
            return new XmlQuery(builder.parse(new InputSource(new StringReader(xml))));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable libvirt XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilderFactory documents() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no secure XML parser", e);
        }
    }

    private static XPath xpath() {
        synchronized (XPATHS) {
            return XPATHS.newXPath();
        }
    }

    /** The text of the first match, or "" when nothing matches. */
    public String text(String xpath) {
        try {
            return xpath().evaluate(xpath, document);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("bad XPath " + xpath, e);
        }
    }

    /**
     * The attribute of the first element, in document order, at {@code path} below the root
     * element ("" when none): {@code attribute("address", "devices", "interface", "mac")} answers
     * as {@code text("/domain/devices/interface/mac/@address")} would, by walking the tree rather
     * than compiling an XPath, which costs milliseconds before the JIT has warmed to it.
     */
    public String attribute(String attribute, String... path) {
        Element found = first(document.getDocumentElement(), path, 0);
        return found == null ? "" : found.getAttribute(attribute);
    }

    private static Element first(Element element, String[] path, int depth) {
        if (depth == path.length) {
            return element;
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(path[depth])) {
                Element found = first(e, path, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    public NodeList nodes(String xpath) {
        try {
            return (NodeList) xpath().evaluate(xpath, document, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("bad XPath " + xpath, e);
        }
    }
}
