<?php

namespace MediaWiki\Extension\WikiSync\Hooks;

use MediaWiki\Extension\WikiSync\ProjectTitles;
use MediaWiki\Hook\SkinTemplateNavigation__UniversalHook;

/** The "Refresh" tab on the pages of a WikiSync project, for those who may ask for a refresh. */
final class NavigationHooks implements SkinTemplateNavigation__UniversalHook {

	private ProjectTitles $projects;

	public function __construct( ProjectTitles $projects ) {
		$this->projects = $projects;
	}

	/**
	 * @param \SkinTemplate $sktemplate
	 * @param array &$links
	 */
	public function onSkinTemplateNavigation__Universal( $sktemplate, &$links ): void {
		$title = $sktemplate->getRelevantTitle();
		if ( $title === null || !$title->exists() || $this->projects->projectOf( $title ) === null
			|| !$sktemplate->getAuthority()->isAllowed( 'wikisync-refresh' )
		) {
			return;
		}
		$action = $sktemplate->getRequest()->getVal( 'action' );
		$links['views']['wikisync-refresh'] = [
			'class' => $action === 'wikisync-refresh' ? 'selected' : false,
			'text' => $sktemplate->msg( 'wikisync-refresh-tab' )->text(),
			'href' => $title->getLocalURL( [ 'action' => 'wikisync-refresh' ] ),
		];
	}
}
