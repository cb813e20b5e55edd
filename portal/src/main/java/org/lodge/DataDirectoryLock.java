package org.lodge;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock on the embedded PostgreSQL's data directory, held by the process that runs the server
 * for as long as it does: another Lodge finding it held knows the server is not an orphan.
 */
final class DataDirectoryLock implements Closeable {

    // The name zonky used, so a Lodge of before and one of now see each other's lock.
    static final String FILE = "epg-lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or says who holds it. */
    static DataDirectoryLock hold(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("the database in " + dataDir + " is in use by another running Lodge");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException inThisJvm) {
            channel.close();
            throw new IllegalStateException("the database in " + dataDir + " is already started by this process");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            lock.release();
        }
    }
}
