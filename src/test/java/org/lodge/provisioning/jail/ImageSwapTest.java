package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swap's state is the job's own: plain files in a temporary directory, as a job leaves them. */
class ImageSwapTest {

    @TempDir
    Path dir;

    private Path image;

    @BeforeEach
    void anImageInPlace() throws Exception {
        image = dir.resolve("lodge-1.img");
        Files.writeString(image, "current");
    }

    @Test
    void aPreviousImageLeftByAnotherJobIsNeitherThisJobsSwapNorPutBackByIt() throws Exception {
        ImageSwap crashed = new ImageSwap(image, UUID.randomUUID());
        swapInNew(crashed, "the crashed job's image");
        ImageSwap current = new ImageSwap(image, UUID.randomUUID());

        assertThatThrownBy(current::swapped).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("put aside by job " + crashed.job());
        assertThat(current.keepsPrevious()).isFalse();
        assertThat(current.putBack()).isFalse();
        assertThat(current.dropPrevious()).isFalse();
        assertThat(image).hasContent("the crashed job's image");
        assertThat(current.previous()).hasContent("current");
    }

    @Test
    void aPreviousImageWithoutItsJobIsNotThisJobsSwap() throws Exception {
        Files.writeString(ImageSwap.previous(image), "left before jobs marked their swaps");
        ImageSwap current = new ImageSwap(image, UUID.randomUUID());

        assertThatThrownBy(current::swapped).hasMessageContaining("put aside by an earlier job");
        assertThat(current.putBack()).isFalse();
        assertThat(image).hasContent("current");
    }

    @Test
    void aRevivedJobFindsItsOwnSwapAndCanUndoIt() throws Exception {
        ImageSwap swap = new ImageSwap(image, UUID.randomUUID());
        assertThat(swap.swapped()).isFalse();
        swapInNew(swap, "new");

        ImageSwap revived = new ImageSwap(image, swap.job());
        assertThat(revived.swapped()).isTrue();
        assertThat(revived.keepsPrevious()).isTrue();
        assertThat(revived.putBack()).isTrue();
        assertThat(image).hasContent("current");
        assertThat(revived.previous()).doesNotExist();
        assertThat(revived.swapped()).isFalse();
    }

    @Test
    void aSwapInterruptedBetweenItsRenamesIsFinishedByTheSameJob() throws Exception {
        ImageSwap swap = new ImageSwap(image, UUID.randomUUID());
        swapInNew(swap, "new");
        // As if the worker died after the first rename: the current image aside, the new one not yet in place.
        Files.move(image, swap.fresh());

        assertThat(swap.swapped()).isTrue();
        assertThat(image).hasContent("new");
        assertThat(swap.fresh()).doesNotExist();
    }

    @Test
    void dropsOnlyItsOwnPreviousImageAndNeverReplacesOne() throws Exception {
        ImageSwap swap = new ImageSwap(image, UUID.randomUUID());
        swapInNew(swap, "new");
        Files.writeString(swap.prepareFresh(3), "again");
        assertThatThrownBy(swap::swapIn).hasMessageContaining("never replaced");

        assertThat(swap.dropPrevious()).isTrue();
        assertThat(swap.previous()).doesNotExist();
        assertThat(image).hasContent("new");
    }

    private static void swapInNew(ImageSwap swap, String content) throws Exception {
        Files.writeString(swap.prepareFresh(content.length()), content);
        swap.swapIn();
    }
}
