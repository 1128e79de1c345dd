<?php

use MediaWiki\Config\ServiceOptions;
use MediaWiki\Extension\WikiSync\PageSections;
use MediaWiki\Extension\WikiSync\ProjectTitles;
use MediaWiki\Extension\WikiSync\ServiceClient;
use MediaWiki\Extension\WikiSync\SourceLinks;
use MediaWiki\MediaWikiServices;

return [
	'WikiSync.ServiceClient' => static function ( MediaWikiServices $services ): ServiceClient {
		return new ServiceClient(
			new ServiceOptions( ServiceClient::CONSTRUCTOR_OPTIONS, $services->getMainConfig() ),
			$services->getHttpRequestFactory()
		);
	},
	'WikiSync.ProjectTitles' => static function ( MediaWikiServices $services ): ProjectTitles {
		return new ProjectTitles(
			(string)$services->getMainConfig()->get( 'WikiSyncProjectTitlePattern' ),
			$services->getTitleFormatter()
		);
	},
	'WikiSync.SourceLinks' => static function ( MediaWikiServices $services ): SourceLinks {
		return new SourceLinks( (array)$services->getMainConfig()->get( 'WikiSyncSourceLinks' ) );
	},
	'WikiSync.PageSections' => static function ( MediaWikiServices $services ): PageSections {
		return new PageSections( $services->getRevisionLookup() );
	},
];
