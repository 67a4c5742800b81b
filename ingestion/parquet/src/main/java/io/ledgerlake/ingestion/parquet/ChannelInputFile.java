package io.ledgerlake.ingestion.parquet;

import io.ledgerlake.ingestion.format.ContentInput;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet {@link InputFile} over any {@link ContentInput}, so no Hadoop FileSystem is involved. */
final class ChannelInputFile implements InputFile {
  private final ContentInput input;
  private final long length;

  ChannelInputFile(ContentInput input, long length) {
    this.input = input;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = input.openChannel();
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }
    };
  }
}
