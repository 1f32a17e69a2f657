// webpack host entry: the async boundary webpack's Module Federation needs.
import('./bootstrap');
