<?php

namespace MediaWiki\Extension\WikiSync;

use MediaWiki\Page\PageIdentity;
use MediaWiki\Revision\RevisionLookup;
use MediaWiki\Revision\RevisionRecord;
use MediaWiki\Revision\SlotRecord;
use TextContent;

/** The generated sections a saved revision of a page holds. */
final class PageSections {

	private RevisionLookup $revisions;

	public function __construct( RevisionLookup $revisions ) {
		$this->revisions = $revisions;
	}

	/** @param int $revisionId 0 for the latest */
	public function of( PageIdentity $page, int $revisionId = 0 ): ?SectionScan {
		$text = $this->text( $page, $revisionId );
		return $text === null ? null : SectionScan::of( $text );
	}

	/** The wikitext of the main slot, or null (no such page or revision, hidden, not text). */
	public function text( PageIdentity $page, int $revisionId = 0 ): ?string {
		if ( !$page->exists() ) {
			return null;
		}
		$revision = $revisionId > 0
			? $this->revisions->getRevisionById( $revisionId )
			: $this->revisions->getRevisionByTitle( $page );
		if ( $revision === null || ( $revisionId > 0 && $revision->getPageId() !== $page->getId() ) ) {
			return null;
		}
		$content = $revision->getContent( SlotRecord::MAIN, RevisionRecord::RAW );
		return $content instanceof TextContent ? $content->getText() : null;
	}
}
