<?php

namespace MediaWiki\Extension\WikiSync;

/**
 * One generated section of a page: [start, end) covers both markers, [contentStart, contentEnd) the text
 * between them (byte offsets).
 */
final class GeneratedSection {

	public function __construct(
		public readonly string $name,
		public readonly int $line,
		public readonly int $start,
		public readonly int $contentStart,
		public readonly int $contentEnd,
		public readonly int $end
	) {
	}

	public function content( string $page ): string {
		return substr( $page, $this->contentStart, $this->contentEnd - $this->contentStart );
	}
}
