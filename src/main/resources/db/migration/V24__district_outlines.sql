-- A district's outline for the city map (command centre, administration page): a GeoJSON
-- Polygon or MultiPolygon of [longitude, latitude] in decimal degrees, checked and made
-- canonical by the directory module before it is stored; null until an ADMIN sets one.
alter table districts add column outline jsonb;
