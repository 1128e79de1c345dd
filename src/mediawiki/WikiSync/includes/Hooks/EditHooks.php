<?php

namespace MediaWiki\Extension\WikiSync\Hooks;

use ApiMessage;
use Content;
use Html;
use IContextSource;
use MediaWiki\Extension\WikiSync\GuardDecision;
use MediaWiki\Extension\WikiSync\PageSections;
use MediaWiki\Extension\WikiSync\SourceLinks;
use MediaWiki\Hook\EditFilterMergedContentHook;
use MediaWiki\Hook\TitleGetEditNoticesHook;
use MediaWiki\Revision\SlotRecord;
use Message;
use Status;
use TextContent;
use User;

/**
 * What an editor meets when editing a page with generated sections: a notice naming them and where their
 * data lives, and a warning (once, as AbuseFilter's "warn" action) when a save would change a section's
 * text or break its markers. Saving the same change again goes through; the service then reports the edit
 * and replaces the section at its next pass. Accounts with the bot right, WikiSync's own among them, are
 * never warned.
 */
final class EditHooks implements TitleGetEditNoticesHook, EditFilterMergedContentHook {

	/** The API error code of the warning; a client repeats the same save to go ahead. */
	public const API_CODE = 'wikisync-generated-section';

	private PageSections $pages;
	private SourceLinks $sources;

	public function __construct( PageSections $pages, SourceLinks $sources ) {
		$this->pages = $pages;
		$this->sources = $sources;
	}

	/**
	 * @param \Title $title
	 * @param int $oldid
	 * @param array &$notices
	 * @return bool
	 */
	public function onTitleGetEditNotices( $title, $oldid, &$notices ) {
		$scan = $this->pages->of( $title, (int)$oldid );
		if ( $scan === null || $scan->sections === [] ) {
			return true;
		}
		$items = '';
		foreach ( $scan->sections as $section ) {
			$source = $this->sources->html( $section->name ) ?? wfMessage( 'wikisync-source-unknown' )->escaped();
			$items .= Html::rawElement( 'li', [ 'data-wikisync-section' => $section->name ],
				wfMessage( 'wikisync-editnotice-item' )->plaintextParams( $section->name )->rawParams( $source )->escaped() );
		}
		$notices['wikisync-editnotice'] = Html::rawElement( 'div', [ 'class' => 'wikisync-editnotice mw-message-box mw-message-box-notice' ],
			Html::element( 'p', [], wfMessage( 'wikisync-editnotice' )->numParams( count( $scan->sections ) )->text() )
			. Html::rawElement( 'ul', [], $items ) );
		return true;
	}

	/**
	 * @param IContextSource $context
	 * @param Content $content
	 * @param Status $status
	 * @param string $summary
	 * @param User $user
	 * @param bool $minoredit
	 * @param string $slot
	 * @return bool
	 */
	public function onEditFilterMergedContent( IContextSource $context, Content $content, Status $status,
		$summary, User $user, $minoredit, $slot = SlotRecord::MAIN
	) {
		if ( $slot !== SlotRecord::MAIN || !( $content instanceof TextContent ) || $user->isAllowed( 'bot' ) ) {
			return true;
		}
		$title = $context->getTitle();
		$old = $title === null ? null : $this->pages->text( $title );
		if ( $old === null ) {
			return true;
		}
		$decision = GuardDecision::of( $old, $content->getText() );
		if ( !$decision->needsWarning() ) {
			return true;
		}
		// As AbuseFilter's warn: the session remembers the warning for this page and this change, and the
		// next save of it goes through (and forgets it, so a later change is warned again).
		$session = $context->getRequest()->getSession();
		$session->persist();
		$key = 'wikisync-warned-' . md5( $title->getNamespace() . ':' . $title->getDBkey() . '|' . $decision->key() );
		if ( $session->get( $key ) === true ) {
			$session->remove( $key );
			return true;
		}
		$session->set( $key, true );
		$status->fatal( ApiMessage::create( $this->warning( $decision ), self::API_CODE, [ 'wikisync' => [
			'sections' => $decision->changed,
			'broken' => array_map( static fn ( $p ) => $p['line'] . ': ' . $p['reason'], $decision->broken ),
		] ] ) );
		return false;
	}

	private function warning( GuardDecision $decision ): Message {
		if ( $decision->broken !== [] ) {
			$first = $decision->broken[0];
			return wfMessage( 'wikisync-guard-broken' )->numParams( $first['line'] )->plaintextParams( $first['reason'] );
		}
		return wfMessage( 'wikisync-guard-changed' )
			->plaintextParams( implode( ', ', $decision->changed ) )
			->numParams( count( $decision->changed ) );
	}
}
