package org.lodge.provisioning.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/**
 * A libvirt-java connection that also hands out its C pointer, for the few libvirt calls
 * libvirt-java 0.5.4 has no binding for (see {@link GuestAgent}). The pointer belongs to this
 * connection: callers never free it.
 */
public class NativeConnect extends Connect {

    public NativeConnect(String uri) throws LibvirtException {
        super(uri);
    }

    ConnectionPointer pointer() {
        return vcp;
    }
}
